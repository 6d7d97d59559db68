// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `territorial_use_rights`: each site of a spatial resource is held by a group or an agent
/// (a TURF), and only its holder may fish it; holders watch for intruders. Clearly defined
/// boundaries and monitoring (Ostrom 1990, design principles 1 and 4).
/// docs/governance.md#territorial_use_rights

#include <commons/sim/rule.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace commons::models {

/// announce: each held site s gets SiteRights::holder_group (or holder_agent) = its holder and
/// detection <- 1 - (1 - detection)(1 - detection_probability); the engine counts work at s by
/// anyone else as a breach. monitor: an intruder is caught iff u < detection_probability, u the
/// run's draw (step, id, monitor, draw_index), and its breach is detected.
class TerritorialUseRights final : public sim::Rule {
 public:
  struct Parameters {
    enum class Holder { group, agent };
    Holder holder = Holder::group;
    /// The holder of each site, by site index: a group (scenario order) or an agent (row
    /// order), or -1 for a site no one holds; empty: all sites in equal contiguous blocks.
    std::vector<std::int64_t> territories;
    /// Chance that the holders detect an intruder in a step [1], in [0, 1].
    double detection_probability = 0.0;

    /// Reads `holder`, `territories` and `detection_probability`; throws sim::SpecError
    /// naming the key of an impossible value.
    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// A site no one holds, in holder_of_sites().
  static constexpr std::uint32_t unheld = std::numeric_limits<std::uint32_t>::max();
  /// Draw index of the holders' draws (Purpose::monitor), apart from those of inspection (0),
  /// peer_monitoring, state_recognition and no_take_area.
  static constexpr std::uint64_t draw_index = (std::uint64_t{1} << 62) + (std::uint64_t{1} << 58);

  explicit TerritorialUseRights(Parameters parameters);

  /// Refuses a resource without sites, territories for another number of sites, and
  /// territories for holders (groups or agents) the scenario does not have.
  void check(const sim::RuleCheck& world) const override;
  [[nodiscard]] std::span<const sim::Phase> phases() const override;
  void apply(sim::Phase phase, sim::RuleContext& context) override;
  /// `territory_intrusions` and `territory_intrusions_detected` [1] of the step; NaN out of
  /// force.
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;
  [[nodiscard]] std::vector<int> design_principles() const override;

  /// The holder of each of `sites` sites among `holders` holders (or `unheld`): the
  /// territories given, or by default contiguous blocks in site order, holder h taking sites
  /// [h q + min(h, r), (h + 1) q + min(h + 1, r)) with q = sites / holders and r = sites mod
  /// holders, so the first r holders hold one site more. Throws sim::SpecError when a holder
  /// would hold nothing or a site's holder does not exist.
  [[nodiscard]] std::vector<std::uint32_t> holder_of_sites(std::size_t sites, std::size_t holders) const;

 private:
  void announce(sim::RuleContext& context);
  void monitor(sim::RuleContext& context);

  Parameters parameters_;
  /// holder_[s]: the holder of site s, or unheld; empty until the rule first acts.
  std::vector<std::uint32_t> holder_;
  /// What the holders found of each agent row in the current step.
  std::vector<std::uint8_t> found_;
  mutable double intrusions_ = std::numeric_limits<double>::quiet_NaN();
  mutable double intrusions_detected_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace commons::models
