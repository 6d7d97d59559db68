// SPDX-License-Identifier: Apache-2.0
#include <commons/models/behaviour/scripted.hpp>

#include <commons/models/registration.hpp>
#include <commons/sim/resource.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

namespace commons::models {

namespace {

const sim::ModelDescriptor& descriptor() {
  static const sim::ModelDescriptor described{
      .kind = sim::ModelKind::behaviour,
      .name = "scripted",
      .summary =
          "Replays recorded decisions (for instance of laboratory subjects) from a CSV file: an agent without a row "
          "for a step repeats its last effort (0 before its first row), and after the file's last step the last values "
          "hold.",
      .parameters = {
          {.name = "decisions",
           .type = sim::ParameterType::text,
           .meaning = "CSV file of decisions, relative to the scenario file's directory (to the current directory for "
                      "a --set value): a header row naming the columns step, agent, effort and optionally pledge, then "
                      "one row per step and agent; agent is the 0-based index among the group's agents that follow "
                      "this behaviour (docs/scenario-format.md#csv-files)",
           .required = true,
           .min_length = 1,
           .max_length = 4096}}};
  return described;
}

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// Shortest text that reads back as `value`: "3" for 3.0, "2.5" for 2.5.
std::string format(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return {buffer, result.ptr};
}

// Steps and agents are whole numbers within the range a double holds exactly.
bool whole_index(double value) { return value >= 0.0 && value < 9007199254740992.0 && std::floor(value) == value; }

// Line of data row `row` in the file. Hand-built tables may leave `lines` empty; a data row r
// then sits on line r + 2, after the header.
std::size_t line_of(const sim::Table& table, std::size_t row) {
  return row < table.lines.size() ? table.lines[row] : row + 2;
}

class RowError {
 public:
  RowError(const sim::Table& table, std::size_t row) : table_(table), row_(row) {}
  [[nodiscard]] sim::SpecError operator()(const std::string& message) const {
    return sim::SpecError(table_.source + ":" + std::to_string(line_of(table_, row_)) + ": " + message);
  }

 private:
  const sim::Table& table_;
  std::size_t row_;
};

std::size_t required_column(const sim::Table& table, std::string_view name) {
  const std::size_t c = table.column(name);
  if (c == table.columns.size())
    throw sim::SpecError(table.source + ": scripted decisions need a column '" + std::string(name) +
                         "' (header step,agent,effort[,pledge])");
  return c;
}

}  // namespace

std::size_t Scripted::check(const sim::Parameters& parameters, const sim::CohortCheck& cohort) {
  const sim::Table& table = parameters.table("decisions");
  const std::size_t step_column = required_column(table, "step");
  const std::size_t agent_column = required_column(table, "agent");
  const std::size_t effort_column = required_column(table, "effort");
  const double limit = cohort.resource.effort_limit().value_or(std::numeric_limits<double>::infinity());
  const auto run_steps = static_cast<std::size_t>(std::max<std::int64_t>(cohort.steps, 0));

  // Every row is checked (also those beyond the run's last step, so a file is either valid or
  // not whatever the run length), and the steps the schedule must span are found.
  std::size_t steps = 0;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const RowError error(table, r);
    const std::vector<double>& row = table.rows[r];
    if (row.size() != table.columns.size())
      throw error("expected " + std::to_string(table.columns.size()) + " values, found " +
                  std::to_string(row.size()));
    const double step = row[step_column];
    const double agent = row[agent_column];
    const double effort = row[effort_column];
    if (!whole_index(step)) throw error("step " + format(step) + " is not a whole number >= 0");
    if (!whole_index(agent)) throw error("agent " + format(agent) + " is not a whole number >= 0");
    if (agent >= static_cast<double>(cohort.count))
      throw error("agent " + format(agent) + " is outside this cohort of " + std::to_string(cohort.count) + " agents");
    if (!std::isfinite(effort) || effort < 0.0) throw error("effort " + format(effort) + " is not a number >= 0");
    if (effort > limit)
      throw error("effort " + format(effort) + " is above the resource's effort limit of " + format(limit));
    steps = std::max(steps, std::min(static_cast<std::size_t>(step) + 1, run_steps));
  }

  // A second row for the same step and agent is ambiguous: which decision was made?
  std::vector<std::pair<std::pair<double, double>, std::size_t>> keys;
  keys.reserve(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r)
    keys.push_back({{table.rows[r][step_column], table.rows[r][agent_column]}, r});
  std::ranges::sort(keys);
  for (std::size_t i = 1; i < keys.size(); ++i) {
    if (keys[i].first != keys[i - 1].first) continue;
    throw RowError(table, keys[i].second)("a second row for step " + format(keys[i].first.first) + ", agent " +
                                          format(keys[i].first.second) + " (the first is on line " +
                                          std::to_string(line_of(table, keys[i - 1].second)) + ")");
  }
  return steps;
}

Scripted::Scripted(const sim::Parameters& parameters, const sim::GroupContext& group)
    : first_(group.first), count_(group.count) {
  steps_ = check(parameters, sim::CohortCheck{group.count, group.steps, group.resource, group.economics});
  const sim::Table& table = parameters.table("decisions");
  const std::size_t step_column = table.column("step");
  const std::size_t agent_column = table.column("agent");
  const std::size_t effort_column = table.column("effort");
  const std::size_t pledge_column = table.column("pledge");
  has_pledge_ = pledge_column != table.columns.size();

  // Place the rows, then carry each agent's last value forward over the steps it has no row for.
  effort_.assign(steps_ * count_, 0.0);
  if (has_pledge_) pledge_.assign(steps_ * count_, not_a_number);
  std::vector<char> scripted(steps_ * count_, 0);
  for (const std::vector<double>& row : table.rows) {
    const auto step = static_cast<std::size_t>(row[step_column]);
    if (step >= steps_) continue;
    const std::size_t cell = step * count_ + static_cast<std::size_t>(row[agent_column]);
    scripted[cell] = 1;
    effort_[cell] = row[effort_column];
    if (has_pledge_) pledge_[cell] = row[pledge_column];
  }
  for (std::size_t s = 1; s < steps_; ++s) {
    for (std::size_t k = 0; k < count_; ++k) {
      const std::size_t cell = s * count_ + k;
      if (scripted[cell] != 0) continue;
      effort_[cell] = effort_[cell - count_];
      if (has_pledge_) pledge_[cell] = pledge_[cell - count_];
    }
  }
}

std::size_t Scripted::schedule_row(std::int64_t step) const {
  return std::min(static_cast<std::size_t>(std::max<std::int64_t>(step, 0)), steps_ - 1);
}

void Scripted::decide(const sim::StepContext& context, sim::AgentSpan agents) {
  if (steps_ == 0) {
    std::ranges::fill(agents.effort(), 0.0);
    return;
  }
  const double* scheduled = effort_.data() + schedule_row(context.step) * count_ + (agents.first - first_);
  std::copy(scheduled, scheduled + agents.size(), agents.effort().begin());
}

void Scripted::pledge(const sim::StepContext& context, sim::AgentSpan agents) {
  if (!has_pledge_) {
    sim::Behaviour::pledge(context, agents);
    return;
  }
  if (steps_ == 0) {
    std::ranges::fill(agents.pledge(), not_a_number);
    return;
  }
  const double* scheduled = pledge_.data() + schedule_row(context.step) * count_ + (agents.first - first_);
  std::copy(scheduled, scheduled + agents.size(), agents.pledge().begin());
}

COMMONS_REGISTER_MODELS(scripted) {
  registry.add_behaviour(
      descriptor(),
      [](const sim::ComponentSpec& spec, const sim::GroupContext& group) {
        return std::make_unique<Scripted>(spec.parameters, group);
      },
      [](const sim::ComponentSpec& spec, const sim::CohortCheck& cohort) {
        try {
          static_cast<void>(Scripted::check(spec.parameters, cohort));
        } catch (const sim::SpecError& error) {
          throw sim::ComponentError(spec.pointer + "/decisions", error.what());
        }
      });
}

}  // namespace commons::models
