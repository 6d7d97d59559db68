// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `no_take_area`: sites of a spatial resource where no one may fish, always, in a season, or
/// for a while after the catch per unit effort there has fallen (a real-time closure): an
/// appropriation rule in space (Ostrom 1990, design principle 2). docs/governance.md#no_take_area

#include <commons/models/governance/closed_season.hpp>
#include <commons/sim/rule.hpp>
#include <commons/sim/sites.hpp>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace commons::models {

/// announce: every site of the area closed in the step gets SiteRights::closed = 1 and
/// detection <- 1 - (1 - detection)(1 - detection_probability); the engine counts all effort
/// there as a breach. monitor: an agent caught working a closed site (u < detection_probability,
/// u the run's draw (step, id, monitor, draw_index)) has its breach detected; in `real_time`
/// mode, each open site of the area where the fleet worked gets its realised catch per unit of
/// effort H_s / E_s, and closes for the next `closure_steps` steps when that falls below
/// cpue_trigger x its reference, the harvest per effort the resource showed there when the
/// rule first acted.
class NoTakeArea final : public sim::Rule {
 public:
  struct Parameters {
    enum class Mode { fixed, seasonal, real_time };
    /// The area as site indices, or empty when given as a rectangle of a grid.
    std::vector<std::uint32_t> sites;
    /// The rectangle [first, last] of rows and of columns, inclusive, when `sites` is empty.
    std::optional<std::array<std::int64_t, 2>> rows;
    std::optional<std::array<std::int64_t, 2>> columns;
    Mode mode = Mode::fixed;
    /// seasonal: the steps closed, as closed_season has them.
    std::optional<ClosedSeason::Parameters> season;
    /// real_time: a site closes when its realised catch per unit effort falls below this
    /// fraction of its reference [1], > 0.
    double cpue_trigger = 0.0;
    /// real_time: steps a site stays closed once it closes [step], >= 1.
    std::int64_t closure_steps = 0;
    /// Chance that patrols detect an agent working a closed site in a step [1], in [0, 1].
    double detection_probability = 0.0;

    /// Reads the area (`sites`, or `rows` and `columns`), `mode` and its parameters, and
    /// `detection_probability`; throws sim::SpecError naming the key of an impossible value.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// Draw index of the patrols' draws (Purpose::monitor), apart from those of inspection (0),
  /// peer_monitoring, state_recognition and territorial_use_rights.
  static constexpr std::uint64_t draw_index = (std::uint64_t{1} << 62) + (std::uint64_t{1} << 59);

  explicit NoTakeArea(Parameters parameters);

  /// Refuses a resource without sites, an area beyond its sites, a rectangle on sites that do
  /// not form a grid, and real_time on a resource that does not report its sites' harvest per
  /// effort.
  void check(const sim::RuleCheck& world) const override;
  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `closed_sites` [1] and `closed_area_stock` [resource unit] of the step; NaN out of force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// The sites of the area on `layout`, ascending; throws sim::SpecError where check() does.
  [[nodiscard]] std::vector<std::uint32_t> area(const sim::SiteLayout& layout) const;

 private:
  void announce(sim::RuleContext& context);
  void monitor(sim::RuleContext& context);
  /// real_time: closes the open sites of the area whose realised CPUE fell below the trigger.
  void watch_catch_rates(const sim::RuleContext& context);

  Parameters parameters_;
  std::optional<ClosedSeason> season_;
  /// The area's sites, ascending; empty until the rule first acts.
  std::vector<std::uint32_t> area_;
  /// closed_[s]: this rule closed site s in the current step.
  std::vector<std::uint8_t> closed_;
  /// real_time, by position in area_: the reference harvest per effort, and the first step
  /// the site is open again.
  std::vector<double> reference_;
  std::vector<std::int64_t> closed_until_;
  /// What the patrol found of each agent row in the current step.
  std::vector<std::uint8_t> found_;
  mutable double closed_sites_ = std::numeric_limits<double>::quiet_NaN();
  mutable double closed_area_stock_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
