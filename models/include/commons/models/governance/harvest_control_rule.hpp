// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `harvest_control_rule`: a management strategy evaluation loop (Punt et al. 2016): a noisy
/// stock assessment every few steps sets the TAC by the ICES "hockey stick" advice rule;
/// docs/governance.md#harvest_control_rule.

#include <commons/sim/rule.hpp>
#include <commons/sim/spec.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace commons::models {

/// Every `interval` steps (announce phase): B_hat = X exp(sigma z - sigma^2 / 2), z ~ N(0, 1),
/// and TAC = F B_hat min(1, B_hat / B_trigger); the TAC holds until the next assessment and is
/// applied in the comply phase as `tac` applies its own.
class HarvestControlRule final : public sim::Rule {
 public:
  struct Parameters {
    /// Steps between assessments [steps], >= 1.
    std::int64_t interval = 1;
    /// sigma, standard deviation of the log assessment error [1], >= 0.
    double assessment_error = 0.0;
    /// F_target, share of the assessed stock taken at or above the trigger [1 / step];
    /// unset: msy_harvest / msy_stock of the resource.
    std::optional<double> target_harvest_rate;
    /// B_trigger, assessed stock below which the harvest rate falls linearly [resource units];
    /// unset: msy_stock of the resource.
    std::optional<double> trigger_stock;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  explicit HarvestControlRule(const Parameters& parameters);

  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  /// Throws sim::SpecError when the resource lacks the reference point the rule needs.
  void check(const sim::RuleCheck& world) const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `tac` [resource units] and `assessed_stock` [resource units]; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  /// Principle 2: appropriation rules matched to (assessed) local conditions.
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// The advice rule: F B min(1, B / B_trigger) [resource units / step].
  [[nodiscard]] static double advised_catch(double assessed_stock, double harvest_rate, double trigger_stock);

 private:
  /// The trigger stock and the target harvest rate in this world, from the parameters or the
  /// resource's MSY reference points.
  struct Targets {
    double trigger = 0.0;
    double harvest_rate = 0.0;
  };
  [[nodiscard]] Targets targets(const sim::Resource& resource, const sim::Economics& economics) const;
  void assess(const sim::RuleContext& context);

  Parameters parameters_;
  double harvest_rate_ = 0.0;
  double trigger_ = 0.0;
  bool resolved_ = false;
  bool assessed_ = false;
  std::int64_t last_assessment_ = 0;
  double assessed_stock_ = 0.0;
  double tac_ = 0.0;
  std::vector<double> predicted_;
  mutable bool acted_ = false;
};

}  // namespace commons::models
