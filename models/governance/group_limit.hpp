// SPDX-License-Identifier: Apache-2.0
#pragma once
// Private helpers of the group-limit rules (`tac`, `individual_quota`, `reserve`,
// `harvest_control_rule`): reading a catch total, looking up reference points, and closing the
// fishery in proportion to catch when a group limit is reached. docs/governance.md#tac

#include <commons/sim/resource.hpp>
#include <commons/sim/rule.hpp>
#include <commons/sim/spec.hpp>

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace commons::models::detail::quota {

/// A catch total as the scenario gives it: an absolute `total` [resource units / step] or a
/// `fraction_of_msy` [1] of the resource's maximum sustainable yield, exactly one of them.
struct CatchTotal {
  std::optional<double> total;
  std::optional<double> fraction_of_msy;

  /// Reads and validates `total` / `fraction_of_msy`; `rule` names the rule in messages.
  [[nodiscard]] static CatchTotal from(const sim::Parameters& values, std::string_view rule);
  /// The total in resource units per step, looking up `msy_harvest` when a fraction is given.
  [[nodiscard]] double resolve(const sim::Resource& resource, const sim::Economics& economics,
                               std::string_view rule) const;
};

/// The resource's reference point `name` (e.g. `msy_harvest`); throws sim::SpecError naming
/// `rule` when the resource does not offer it.
[[nodiscard]] double reference_point(const sim::Resource& resource, const sim::Economics& economics,
                                     std::string_view name, std::string_view rule);

/// `value` as short text for messages ("-1", "0.25", "1e+09").
[[nodiscard]] std::string number_text(double value);

/// A number parameter that must be finite and at least `low`; `fallback` when absent.
[[nodiscard]] double number_at_least(const sim::Parameters& values, std::string_view name, double low,
                                     std::string_view rule,
                                     double fallback = std::numeric_limits<double>::quiet_NaN());

/// Group limit, proportional closure: predicts each agent's harvest from its intended effort,
/// h_i = harvest_if(e_i, E - e_i); when the predicted total exceeds `limit` the season closes
/// as the limit is reached, so each agent's harvest_limit becomes min(., limit h_i / sum h)
/// (the race to fish hands out the limit in proportion to catch). Sums run over the fixed
/// agent blocks so the result never depends on threads. `predicted_harvest` is the caller's
/// scratch space (kept between steps to avoid reallocation). Returns the predicted total.
double close_at_group_limit(sim::RuleContext& context, double limit, std::vector<double>& predicted_harvest);

/// Value to record for a rule variable: `value` when the rule acted this step, else NaN.
[[nodiscard]] inline double recorded(bool acted, double value) {
  return acted ? value : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace commons::models::detail::quota
