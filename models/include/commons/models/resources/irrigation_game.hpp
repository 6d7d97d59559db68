// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// `irrigation_game`: the ASU irrigation game as the experiment software
/// virtualcommons/irrigation (commit d98de5c) defines it; docs/models.md#irrigation_game.

#include <commons/sim/resource.hpp>
#include <commons/sim/spec.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace commons::models {

/// Five players in fixed positions A (upstream) to E (downstream) share a canal. Each round
/// every player invests 0..10 of 10 tokens in the canal's infrastructure; its efficiency
/// decays each round after the first, rises by one point per token and is capped at 100; the
/// canal's capacity follows from the efficiency by a table, and the water flowing in it is the
/// capacity, at most the supply. Every second of the round the water goes to the open gates in
/// order A..E, each gate taking at most its own capacity; a player's crop tokens follow from the
/// water it collected in the round by a second table. Round earnings are 10 - invested + crop.
///
/// In Commons, agents 5c..5c+4 share canal c (one group of the experiment; a last canal may
/// have fewer players), a player's position is its site, its effort is the tokens it invests and
/// its choice is its gate rule (`choices()`): when it closes its gate.
class IrrigationGame final : public sim::Resource {
 public:
  /// When a player closes its gate. The software leaves this to the subject, second by second;
  /// a rule names the water at which the subject stops.
  enum class GateRule : std::uint8_t {
    /// Open until the player's water reaches the least amount that earns the crop table's
    /// maximum (500 units): what a player who cares only for its own crop does.
    fill_to_peak,
    /// Open until the player's water reaches an equal share of what the canal delivers in the
    /// round (flow x seconds / players of the canal): leaves water for those downstream.
    equal_share,
    /// Never closed: takes all it can, even past the crop's peak.
    open_whole_round,
  };

  struct Parameters {
    /// Efficiency of the infrastructure in the first round, before investment [percent].
    double initial_efficiency = 75.0;
    /// Points the efficiency loses at the start of each round after the first [percent].
    double efficiency_decay = 25.0;
    /// Water entering the canal per second, the most it can carry whatever its capacity [unit/s].
    double water_supply = 30.0;
    /// Most water one open gate takes per second [unit/s].
    double gate_capacity = 25.0;
    /// Length of a round [s]: the seconds in which water is allocated.
    std::int64_t round_seconds = 50;
    /// Tokens each player holds in a round: the most it can invest [token].
    double endowment = 10.0;
    /// The gate rule of a player whose behaviour makes no gate choice (choice `default`).
    GateRule gate_rule = GateRule::fill_to_peak;

    [[nodiscard]] static Parameters from(const sim::Parameters& values);
  };

  /// Positions per canal, A..E.
  static constexpr std::size_t positions = 5;
  /// Most efficiency the infrastructure can have [percent] (hard-coded in GroupDataModel).
  static constexpr double maximum_efficiency = 100.0;
  /// The least water that earns the crop table's maximum of 20 tokens [unit].
  static constexpr double peak_water = 500.0;

  /// One canal's round: its infrastructure, flow and what each position collected.
  struct CanalRound {
    /// Efficiency after this round's decay and before investment [percent].
    double efficiency_before_investment = 0.0;
    /// Efficiency after investment, which sets the capacity [percent].
    double efficiency = 0.0;
    /// Capacity from the table [unit/s].
    double capacity = 0.0;
    /// Water flowing in the canal each second: min(capacity, supply) [unit/s].
    double flow = 0.0;
  };

  explicit IrrigationGame(const Parameters& parameters);

  /// Capacity of the canal at an efficiency, GroupDataModel.calculateIrrigationCapacity:
  /// <= 45 -> 0, <= 51 -> 5, <= 55 -> 10, <= 58 -> 15, <= 61 -> 20, <= 65 -> 25, <= 70 -> 30,
  /// <= 80 -> 35, above -> 40 [unit/s].
  [[nodiscard]] static double canal_capacity(double efficiency);
  /// Crop tokens from the water collected in a round, ServerConfiguration.getTokensEarned
  /// (upper bounds exclusive, from < 150 -> 0 up to the peak 20 for 500..549 and down to 0 from 900).
  [[nodiscard]] static double crop_tokens(double water);
  /// Upstream first, second by second: in each of `seconds` seconds the `flow` goes to the
  /// gates in order of `targets` (upstream first), a gate being open while its water is below
  /// its target and taking min(gate_capacity, what is left). Adds each gate's water to `water`.
  static void allocate_water(double flow, double gate_capacity, std::int64_t seconds, std::span<const double> targets,
                             std::span<double> water);

  /// The round's infrastructure from the efficiency the canal ended the last round with (none
  /// before its first round) and the tokens invested in it.
  [[nodiscard]] CanalRound infrastructure(std::optional<double> previous_efficiency, double invested) const;
  /// The water at which a player following `rule` closes its gate, in a canal of `players`
  /// with `flow` [unit].
  [[nodiscard]] double gate_target(GateRule rule, double flow, std::size_t players) const;
  /// The gate rule a choice stands for: choice 0 (`default`) is the scenario's gate_rule.
  [[nodiscard]] GateRule rule_of_choice(std::uint32_t choice) const;

  /// The efficiency players see before they invest: last round's, less this round's decay.
  [[nodiscard]] sim::Observation observe() const override;
  /// Each canal's round: investment, then upstream-first allocation, then crop tokens, which
  /// are the players' harvests.
  double harvest(const sim::Actions& actions, std::span<double> harvest, const sim::ExecutionPolicy& policy) override;
  /// Mean crop of the players of one canal whose total investment is `own_effort` plus its
  /// share of `others_effort` (the others of the last harvest spread evenly over the canals),
  /// every gate following the scenario's gate_rule, from the state this step started in.
  [[nodiscard]] double harvest_if(double own_effort, double others_effort) const override;
  /// The endowment.
  [[nodiscard]] std::optional<double> effort_limit() const override { return parameters_.endowment; }
  /// Nothing regrows: decay comes at the start of the next round (in harvest), as in the
  /// software. Keeps the efficiency the next step starts from for harvest_if.
  void grow() override { efficiency_for_payoffs_ = stock(); }
  /// Mean infrastructure efficiency over the canals after the last investment [percent].
  [[nodiscard]] double stock() const override;
  /// Just above 45, so that the engine's "stock below the threshold" is "efficiency at or
  /// below 45", where the canal carries no water.
  [[nodiscard]] double collapse_threshold() const override;
  /// Crop and investment in tokens, counted ("1").
  [[nodiscard]] sim::UnitSystem units() const override { return {"1", "1", "money"}; }
  [[nodiscard]] std::vector<sim::VariableInfo> variables() const override;
  void sample(std::span<double> values) const override;

  /// Positions A..E as a chain A-B-C-D-E.
  [[nodiscard]] sim::SiteLayout sites() const override;
  /// default, fill_to_peak, equal_share, open_whole_round.
  [[nodiscard]] std::vector<std::string> choices() const override;
  /// water: collected at each position in the last round, summed over the canals.
  [[nodiscard]] std::vector<sim::VariableInfo> site_variables() const override;
  void sample_sites(std::span<double> values) const override;

  /// Each canal's last round, in canal order.
  [[nodiscard]] const std::vector<CanalRound>& canals() const { return canals_; }
  /// Water each agent collected in the last round [unit].
  [[nodiscard]] const std::vector<double>& water() const { return water_; }
  [[nodiscard]] const Parameters& parameters() const { return parameters_; }

 private:
  /// One canal's round for the players in agent rows [first, last).
  double play_canal(std::size_t canal, std::size_t first, std::size_t last, const sim::Actions& actions,
                    std::span<double> harvest);

  Parameters parameters_;
  std::vector<CanalRound> canals_;
  std::vector<double> water_;
  std::array<double, positions> site_water_{};
  std::array<double, positions> site_crop_per_token_{};
  double total_water_ = 0.0;
  double total_crop_ = 0.0;
  std::size_t players_ = 0;
  /// Mean efficiency the current step started from; none before the first round.
  std::optional<double> efficiency_for_payoffs_;
};

}  // namespace commons::models
