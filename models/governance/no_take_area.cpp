// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/no_take_area.hpp>

#include <commons/models/governance/checked_parameters.hpp>
#include <commons/models/governance/common_parameters.hpp>
#include <commons/models/registration.hpp>

#include "site_rules.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>

namespace commons::models {

namespace {

constexpr std::string_view rule_name = "no_take_area";

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::rule,
      .name = "no_take_area",
      .summary =
          "Sites of a spatial resource where no one may fish: always (fixed), in the closed steps of a cycle "
          "(seasonal), or for closure_steps steps after the catch per unit effort there fell below cpue_trigger "
          "times its reference (real_time). Work at a closed site is a breach; patrols detect it with "
          "detection_probability, and the enforcement rules sanction it.",
      .parameters = {{.name = "sites",
                      .type = sim::ParameterType::integers,
                      .meaning = "The area: indices of its sites",
                      .unit = "site",
                      .note = "give this, or rows and columns",
                      .minimum = sim::Bound{0.0},
                      .min_items = 1,
                      .max_items = 10000000,
                      .unique_items = true},
                     {.name = "rows",
                      .type = sim::ParameterType::integers,
                      .meaning = "On a grid, the area's first and last row (inclusive)",
                      .unit = "row",
                      .note = "with columns, instead of sites",
                      .minimum = sim::Bound{0.0},
                      .min_items = 2,
                      .max_items = 2},
                     {.name = "columns",
                      .type = sim::ParameterType::integers,
                      .meaning = "On a grid, the area's first and last column (inclusive)",
                      .unit = "column",
                      .note = "with rows, instead of sites",
                      .minimum = sim::Bound{0.0},
                      .min_items = 2,
                      .max_items = 2},
                     {.name = "mode",
                      .type = sim::ParameterType::choice,
                      .meaning = "fixed: closed in every step; seasonal: closed in the closed steps of a cycle of "
                                 "period steps; real_time: a site closes after its catch per unit effort falls",
                      .default_value = std::string("fixed"),
                      .choices = {"fixed", "seasonal", "real_time"}},
                     season_period_parameter(false, "mode seasonal only, where it is required"),
                     season_closed_parameter(false, "mode seasonal only, where it is required"),
                     {.name = "cpue_trigger",
                      .type = sim::ParameterType::number,
                      .meaning = "A site closes when the catch per unit effort the fleet realised there in a step "
                                 "falls below this fraction of the site's reference (its harvest per effort when the "
                                 "rule first acted)",
                      .unit = "1",
                      .note = "mode real_time only, where it is required",
                      .minimum = sim::Bound{0.0, true},
                      .maximum = sim::Bound{1.0}},
                     {.name = "closure_steps",
                      .type = sim::ParameterType::integer,
                      .meaning = "Steps a site stays closed once its catch per unit effort fell below the trigger",
                      .unit = "step",
                      .note = "mode real_time only, where it is required",
                      .minimum = sim::Bound{1.0}},
                     site_detection_parameter("Chance that patrols detect an agent working a closed site in a step")},
      .exactly_one_of = {{"sites", "rows"}},
      .variables = {{"closed_sites", "1", "sites closed in the step (no_take_area rule)"},
                    {"closed_area_stock", "resource_unit",
                     "stock at the start of the step at the sites closed in it (no_take_area rule)"}},
      .order = {.phases = {sim::Phase::announce, sim::Phase::monitor}},
      .design_principles = {2}};
  return described;
}

[[noreturn]] void refuse(const std::string& what) { throw sim::SpecError(std::string(rule_name) + ": " + what); }

/// A list of whole numbers >= 0 under `key`, as written.
std::vector<std::int64_t> whole_numbers(const sim::Parameters& values, std::string_view key) {
  std::vector<double> listed;
  try {
    listed = values.numbers(key);
  } catch (const sim::SpecError&) {
    refuse(std::string(key) + " must be a list of whole numbers");
  }
  std::vector<std::int64_t> numbers;
  for (const double value : listed) {
    if (!(value >= 0.0 && value < 4294967295.0 && value == std::floor(value)))
      refuse(std::string(key) + " must hold whole numbers at least 0, got " + detail::number_text(value));
    numbers.push_back(static_cast<std::int64_t>(value));
  }
  return numbers;
}

std::array<std::int64_t, 2> first_and_last(const sim::Parameters& values, std::string_view key) {
  const std::vector<std::int64_t> pair = whole_numbers(values, key);
  if (pair.size() != 2) refuse(std::string(key) + " must be [first, last], two whole numbers");
  if (pair[0] > pair[1])
    refuse(std::string(key) + " must be [first, last] with first <= last, got [" + std::to_string(pair[0]) + ", " +
           std::to_string(pair[1]) + "]");
  return {pair[0], pair[1]};
}

/// Refuses `key` unless the mode is `mode_name`.
void only_in_mode(const sim::Parameters& values, std::string_view key, bool in_mode, std::string_view mode_name) {
  if (values.contains(key) && !in_mode)
    refuse(std::string(key) + " applies only to mode " + std::string(mode_name));
}

}  // namespace

NoTakeArea::Parameters NoTakeArea::Parameters::from(const sim::Parameters& values) {
  Parameters p;
  const bool listed = values.contains("sites");
  const bool rectangle = values.contains("rows") || values.contains("columns");
  if (listed == rectangle) refuse("give the area as sites, or as rows and columns, not both or neither");
  if (listed) {
    for (const std::int64_t site : whole_numbers(values, "sites")) p.sites.push_back(static_cast<std::uint32_t>(site));
    if (p.sites.empty()) refuse("sites must list at least one site");
    std::vector<std::uint32_t> sorted = p.sites;
    std::ranges::sort(sorted);
    if (const auto twice = std::ranges::adjacent_find(sorted); twice != sorted.end())
      refuse("sites names site " + std::to_string(*twice) + " twice");
  } else {
    if (!values.contains("rows") || !values.contains("columns"))
      refuse("a rectangle needs both rows and columns, as [first, last]");
    p.rows = first_and_last(values, "rows");
    p.columns = first_and_last(values, "columns");
  }
  constexpr std::array<std::string_view, 3> modes{"fixed", "seasonal", "real_time"};
  const std::string mode = detail::checked_choice(values, rule_name, "mode", "fixed", modes);
  p.mode = mode == "seasonal" ? Mode::seasonal : mode == "real_time" ? Mode::real_time : Mode::fixed;
  const bool seasonal = p.mode == Mode::seasonal;
  const bool real_time = p.mode == Mode::real_time;
  only_in_mode(values, "period", seasonal, "seasonal");
  only_in_mode(values, "closed", seasonal, "seasonal");
  only_in_mode(values, "cpue_trigger", real_time, "real_time");
  only_in_mode(values, "closure_steps", real_time, "real_time");
  if (seasonal) p.season = ClosedSeason::Parameters::from(values, rule_name);
  if (real_time) {
    p.cpue_trigger = detail::checked_number(values, rule_name, "cpue_trigger", std::nullopt, 0.0, 1.0);
    if (!(p.cpue_trigger > 0.0)) refuse("cpue_trigger must be greater than 0");
    p.closure_steps = detail::checked_count(values, rule_name, "closure_steps", std::nullopt, 1);
  }
  p.detection_probability = detail::checked_number(values, rule_name, "detection_probability", 0.0, 0.0, 1.0);
  return p;
}

NoTakeArea::NoTakeArea(Parameters parameters) : parameters_(std::move(parameters)) {
  if (parameters_.season) season_.emplace(*parameters_.season);
}

std::vector<std::uint32_t> NoTakeArea::area(const sim::SiteLayout& layout) const {
  if (!parameters_.rows) {
    detail::sites::check_within(rule_name, "sites", parameters_.sites, layout.count);
    std::vector<std::uint32_t> sites = parameters_.sites;
    std::ranges::sort(sites);
    return sites;
  }
  if (layout.kind != sim::SiteLayout::Kind::grid)
    refuse("rows and columns need sites on a grid; the resource's " + std::to_string(layout.count) +
           " sites form a graph: list them as sites");
  const auto within = [&](std::string_view key, const std::array<std::int64_t, 2>& range, std::size_t extent) {
    if (static_cast<std::size_t>(range[1]) >= extent)
      refuse(std::string(key) + " [" + std::to_string(range[0]) + ", " + std::to_string(range[1]) +
             "] reach beyond the grid's " + std::to_string(extent) + " " + std::string(key) + " (0 to " +
             std::to_string(extent - 1) + ")");
  };
  within("rows", *parameters_.rows, layout.rows);
  within("columns", *parameters_.columns, layout.columns);
  std::vector<std::uint32_t> sites;
  for (std::int64_t row = (*parameters_.rows)[0]; row <= (*parameters_.rows)[1]; ++row)
    for (std::int64_t column = (*parameters_.columns)[0]; column <= (*parameters_.columns)[1]; ++column)
      sites.push_back(static_cast<std::uint32_t>(static_cast<std::size_t>(row) * layout.columns +
                                                 static_cast<std::size_t>(column)));
  return sites;
}

void NoTakeArea::check(const sim::RuleCheck& world) const {
  const std::size_t count = detail::sites::require_sites(rule_name, world.resource);
  static_cast<void>(area(world.resource.sites()));
  if (parameters_.mode == Parameters::Mode::real_time &&
      world.resource.observe().site_harvest_per_effort.size() != count)
    refuse("mode real_time needs a resource that reports the harvest per effort at each of its sites");
}

std::span<const sim::Phase> NoTakeArea::phases() const { return descriptor().order.phases; }

void NoTakeArea::apply(sim::Phase phase, sim::RuleContext& context) {
  if (phase == sim::Phase::announce) {
    announce(context);
  } else if (phase == sim::Phase::monitor) {
    monitor(context);
  }
}

void NoTakeArea::announce(sim::RuleContext& context) {
  sim::SiteRights& rights = context.ledger.sites;
  const sim::Observation& seen = context.step.observation;
  const std::int64_t step = context.step.step;
  if (area_.empty()) {
    // What check() refuses, refused again for a run built without preflight.
    closed_.assign(detail::sites::require_sites(rule_name, context.resource), 0);
    area_ = area(context.resource.sites());
    if (parameters_.mode == Parameters::Mode::real_time) {
      // The reference is what the site yielded per unit of effort when the rule first acted,
      // before its own closures had any effect.
      for (const std::uint32_t site : area_) reference_.push_back(seen.site_harvest_per_effort[site]);
      closed_until_.assign(area_.size(), std::numeric_limits<std::int64_t>::min());
    }
  }
  std::ranges::fill(closed_, 0);
  double closed_sites = 0.0;
  double closed_stock = 0.0;
  for (std::size_t k = 0; k < area_.size(); ++k) {
    const std::uint32_t site = area_[k];
    const bool closed = parameters_.mode == Parameters::Mode::fixed      ? true
                        : parameters_.mode == Parameters::Mode::seasonal ? season_->closed_at(step)
                                                                         : step < closed_until_[k];
    if (!closed) continue;
    closed_[site] = 1;
    closed_sites += 1.0;
    closed_stock += seen.site_stock[site];
    if (rights.size() == 0) continue;
    rights.closed[site] = 1;
    rights.detection[site] = detail::sites::either(rights.detection[site], parameters_.detection_probability);
  }
  closed_sites_ = closed_sites;
  closed_area_stock_ = closed_stock;
}

void NoTakeArea::monitor(sim::RuleContext& context) {
  // The rule may come into force in a step whose announce phase it missed.
  if (area_.empty()) return;
  if (parameters_.detection_probability > 0.0)
    detail::sites::patrol(
        context, parameters_.detection_probability, draw_index,
        [&](std::size_t, std::uint32_t site) { return closed_[site] != 0; }, found_);
  if (parameters_.mode == Parameters::Mode::real_time) watch_catch_rates(context);
}

void NoTakeArea::watch_catch_rates(const sim::RuleContext& context) {
  const sim::AgentTable& agents = context.agents;
  std::vector<double> effort(closed_.size(), 0.0);
  std::vector<double> harvest(closed_.size(), 0.0);
  // In agent order, so the sums are the same bits on every thread count.
  for (std::size_t i = 0; i < agents.size(); ++i) {
    if (!(agents.effort[i] > 0.0)) continue;
    effort[agents.site[i]] += agents.effort[i];
    harvest[agents.site[i]] += agents.harvest[i];
  }
  const std::int64_t reopens = context.step.step + 1 + parameters_.closure_steps;
  for (std::size_t k = 0; k < area_.size(); ++k) {
    const std::uint32_t site = area_[k];
    // A closed site, or one nobody fished, says nothing new about its fish: it keeps its state.
    if (closed_[site] != 0 || !(effort[site] > 0.0)) continue;
    if (harvest[site] / effort[site] < parameters_.cpue_trigger * reference_[k]) closed_until_[k] = reopens;
  }
}

std::vector<sim::VariableInfo> NoTakeArea::variables() const { return descriptor().variables; }

void NoTakeArea::sample(std::span<double> values) const {
  values[0] = closed_sites_;
  values[1] = closed_area_stock_;
  closed_sites_ = std::numeric_limits<double>::quiet_NaN();
  closed_area_stock_ = std::numeric_limits<double>::quiet_NaN();
}

std::vector<int> NoTakeArea::design_principles() const { return descriptor().design_principles; }

COMMONS_REGISTER_MODELS(no_take_area) {
  registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) {
    return std::make_unique<NoTakeArea>(NoTakeArea::Parameters::from(spec.parameters));
  });
}

}  // namespace commons::models
