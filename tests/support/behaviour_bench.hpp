// SPDX-License-Identifier: Apache-2.0
#pragma once
// A test bench that drives one behaviour through the engine's decide -> harvest -> settle ->
// learn order on a cpr_quadratic resource, with the behaviour object in reach so that tests
// can read its state (attractions, aspirations, planned efforts) between phases. It mirrors
// sim::Run's step for a single cohort; tests of whole runs use sim::Run itself.

#include <commons/models/resources/cpr_quadratic.hpp>
#include <commons/sim/agent_table.hpp>
#include <commons/sim/behaviour.hpp>
#include <commons/sim/network.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/spec.hpp>
#include <commons/sim/step_context.hpp>

#include <cpr_spec.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace commons::testing {

/// R is the resource the behaviour sees, made from the CPR game's parameters: the game itself,
/// or testing::PlainResource<models::CprQuadratic> to hold its shortcuts back.
template <class B, class R = models::CprQuadratic>
class BehaviourBench {
 public:
  /// `agents` agents in one cohort following B built from `parameters`.
  BehaviourBench(const CprParameters& cpr_parameters, std::size_t agents, const sim::Parameters& parameters,
                 std::uint64_t seed = 11, const sim::Network* network = nullptr)
      : economics_(cpr_economics(cpr_parameters)),
        random_(seed, 0),
        resource_(models::CprQuadratic::Parameters{cpr_parameters.production_linear,
                                                   cpr_parameters.production_quadratic, cpr_parameters.endowment}),
        network_(network) {
    resource_.set_economics(economics_);
    table_.append_group(0, agents, cpr_parameters.cost_per_effort);
    const sim::GroupContext group{0,
                                  "players",
                                  0,
                                  agents,
                                  1000,
                                  economics_,
                                  random_,
                                  std::span<const std::uint64_t>(table_.id),
                                  agents,
                                  resource_,
                                  network_,
                                  nullptr,
                                  0};
    behaviour_ = std::make_unique<B>(parameters, group);
  }

  B& behaviour() { return *behaviour_; }
  sim::AgentTable& table() { return table_; }
  const R& resource() const { return resource_; }
  const sim::Economics& economics() const { return economics_; }
  std::int64_t step_index() const { return step_; }

  /// The decide phase of the current step.
  void decide() {
    const sim::Observation observation = resource_.observe();
    const sim::StepContext context{step_,    random_,  economics_, observation, policy_,
                                   resource_, previous_, nullptr,    network_};
    behaviour_->decide(context, span());
  }

  /// Harvest, settle and learn with the efforts now in the table, then ends the step.
  /// Returns the step's totals.
  sim::StepOutcome settle_and_learn() {
    const sim::Observation observation = resource_.observe();
    const std::size_t n = table_.size();
    const double harvest = resource_.harvest({table_.effort}, table_.harvest, policy_);
    sim::StepOutcome outcome{step_, n, 0.0, harvest, 0.0, 0.0};
    for (std::size_t i = 0; i < n; ++i) {
      table_.income[i] = economics_.price * table_.harvest[i] - table_.cost_per_effort[i] * table_.effort[i];
      table_.cumulative_income[i] += table_.income[i];
      outcome.effort += table_.effort[i];
      outcome.rent += table_.income[i];
      outcome.active_agents += table_.effort[i] > 0.0 ? 1.0 : 0.0;
    }
    const sim::StepContext context{step_,    random_,  economics_, observation, policy_,
                                   resource_, previous_, &outcome,   network_};
    behaviour_->learn(context, span());
    previous_ = outcome;
    ++step_;
    return outcome;
  }

  /// A step in which the agents apply `efforts` instead of deciding (a hand-worked history).
  sim::StepOutcome play(const std::vector<double>& efforts) {
    table_.effort = efforts;
    return settle_and_learn();
  }

  /// A whole step: decide, harvest, settle, learn.
  sim::StepOutcome step() {
    decide();
    return settle_and_learn();
  }

 private:
  sim::AgentSpan span() { return {&table_, 0, table_.size()}; }

  sim::Economics economics_;
  sim::RandomStream random_;
  R resource_;
  const sim::Network* network_;
  sim::ExecutionPolicy policy_{false};
  sim::AgentTable table_;
  std::unique_ptr<B> behaviour_;
  sim::StepOutcome previous_;
  std::int64_t step_ = 0;
};

}  // namespace commons::testing
