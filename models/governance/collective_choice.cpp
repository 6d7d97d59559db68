// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/collective_choice.hpp>

#include <commons/models/governance/appropriation_rule.hpp>
#include <commons/models/governance/checked_parameters.hpp>
#include <commons/models/governance/shared_columns.hpp>
#include <commons/models/registration.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "collective_choice",
      .summary =
          "Collective choice (principle 3): every interval steps members vote on the appropriation limit; each "
          "member's ideal is stewardship x its equal share of the social optimum + (1 - stewardship) x the effort it "
          "intends; the proposal is the (lower) median ideal, a member votes yes iff it is strictly closer than the "
          "status quo to its ideal, and it passes iff the share of yes votes reaches threshold.",
      .parameters =
          {{.name = "interval",
            .type = sim::ParameterType::integer,
            .meaning = "Steps between votes",
            .unit = "step",
            .minimum = sim::Bound{1.0},
            .default_value = std::int64_t{1}},
           {.name = "threshold",
            .type = sim::ParameterType::number,
            .meaning = "Share of the members' votes a proposal needs to pass, e.g. 0.5 for a majority, 1 for unanimity",
            .unit = "1",
            .minimum = sim::Bound{0.0, true},
            .maximum = sim::Bound{1.0},
            .default_value = 0.5},
           {.name = "stewardship",
            .type = sim::ParameterType::per_agent_number,
            .meaning =
                "Weight s a member puts on its equal share of the social optimum rather than its own intended effort "
                "when it forms its ideal limit [1], in [0, 1], per agent; 1 votes for the limit that maximises every "
                "member's long-run payoff when all are bound by it, 0 for what the member wants to take now",
            .default_value = 1.0}},
      .variables =
          {{"vote_share", "1", "share of the members voting for the proposal, in vote steps (collective_choice rule)"},
           {"proposal", "effort_unit", "median limit the members preferred, in vote steps (collective_choice rule)"},
           {"rule_changed", "1", "1 if the vote changed the appropriation limit, else 0 (collective_choice rule)"}},
      .order = {.phases = {sim::Phase::comply, sim::Phase::choose}},
      .design_principles = {3}};
  return described;
}

constexpr std::string_view rule_name = "collective_choice";

}  // namespace

CollectiveChoice::Parameters CollectiveChoice::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  p.interval = detail::checked_count(values, rule_name, "interval", 1, 1);
  p.threshold = detail::checked_number(values, rule_name, "threshold", 0.5, 0.0, 1.0);
  // A threshold of 0 would pass every proposal without a single vote.
  if (p.threshold == 0.0) throw sim::SpecError("collective_choice: threshold must be above 0, got 0");
  p.stewardship = detail::PerAgentNumber::read(values, rule_name, "stewardship", 1.0, 0.0, 1.0);
  return p;
}

CollectiveChoice::CollectiveChoice(Parameters parameters) : parameters_(parameters) {}

std::span<const sim::Phase> CollectiveChoice::phases() const { return descriptor().order.phases; }

CollectiveChoice::Outcome CollectiveChoice::vote(std::span<double> preferences, double status_quo,
                                                 double threshold) {
  Outcome outcome;
  if (preferences.empty()) return outcome;
  // The lower median: with an even count, the smaller of the two middle preferences.
  const auto middle = preferences.begin() + static_cast<std::ptrdiff_t>((preferences.size() - 1) / 2);
  std::nth_element(preferences.begin(), middle, preferences.end());
  outcome.proposal = *middle;
  // Preferences are single peaked (distance from the ideal): a voter backs the proposal only
  // if it is strictly closer than the status quo, so ties keep the rule that stands.
  double yes = 0.0;
  for (const double preferred : preferences)
    if (std::abs(outcome.proposal - preferred) < std::abs(status_quo - preferred)) yes += 1.0;
  outcome.vote_share = yes / static_cast<double>(preferences.size());
  outcome.passed = outcome.vote_share >= threshold;
  return outcome;
}

void CollectiveChoice::apply(sim::Phase phase, sim::RuleContext& context) {
  const std::int64_t step = context.step.step;
  rule_changed_ = 0.0;
  if (!vote_step(step)) return;
  const sim::AgentTable& agents = context.agents;
  const std::vector<double>& member = context.ledger.shared(member_column);
  if (phase == sim::Phase::comply) {
    // A member's ideal limit blends stewardship (its equal share of the social optimum: the
    // limit that maximises each member's long-run payoff when all are bound by it) with
    // self-interest (the effort it intends before any limit cuts it).
    if (stewardship_.size() != agents.size())
      stewardship_ = parameters_.stewardship.for_agents(agents.id, context.step.random);
    const double members = static_cast<double>(
        std::count_if(member.begin(), member.end(), [](double m) { return m > 0.0; }));
    const auto optimum = sim::optimal_total_effort(context.resource, context.step.economics);
    preferences_.clear();
    for (std::size_t i = 0; i < agents.size(); ++i) {
      if (member[i] <= 0.0) continue;
      const double share = optimum && members > 0.0 ? *optimum / members : agents.effort[i];
      preferences_.push_back(stewardship_[i] * share + (1.0 - stewardship_[i]) * agents.effort[i]);
    }
    recorded_step_ = step;
    return;
  }
  if (phase != sim::Phase::choose || recorded_step_ != step) return;
  const auto found = context.settings.find(AppropriationRule::setting);
  // No limit in force: the status quo is "no limit", farther from every finite preference.
  const double status_quo =
      found == context.settings.end() ? std::numeric_limits<double>::infinity() : found->second;
  const Outcome outcome = vote(preferences_, status_quo, parameters_.threshold);
  vote_share_ = outcome.vote_share;
  proposal_ = outcome.proposal;
  if (outcome.passed && outcome.proposal != status_quo) {
    context.settings.insert_or_assign(std::string(AppropriationRule::setting), outcome.proposal);
    rule_changed_ = 1.0;
  }
}

std::vector<sim::VariableInfo> CollectiveChoice::variables() const { return descriptor().variables; }

void CollectiveChoice::sample(std::span<double> values) const {
  values[0] = vote_share_;
  values[1] = proposal_;
  values[2] = rule_changed_;
  vote_share_ = std::numeric_limits<double>::quiet_NaN();
  proposal_ = std::numeric_limits<double>::quiet_NaN();
  rule_changed_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> CollectiveChoice::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(collective_choice) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<CollectiveChoice>(CollectiveChoice::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
