// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/spec.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

namespace commons::sim {

const ParameterValue& Parameters::at(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw SpecError("parameter '" + std::string(name) + "' is missing");
  return it->second;
}

double Parameters::number(std::string_view name) const {
  const ParameterValue& value = at(name);
  if (const auto* real = std::get_if<double>(&value)) return *real;
  if (const auto* whole = std::get_if<std::int64_t>(&value)) return static_cast<double>(*whole);
  throw SpecError("parameter '" + std::string(name) + "' is not a number");
}

double Parameters::number_or(std::string_view name, double fallback) const {
  return contains(name) ? number(name) : fallback;
}

std::int64_t Parameters::integer(std::string_view name) const {
  if (const auto* whole = std::get_if<std::int64_t>(&at(name))) return *whole;
  throw SpecError("parameter '" + std::string(name) + "' is not an integer");
}

bool Parameters::flag_or(std::string_view name, bool fallback) const {
  if (!contains(name)) return fallback;
  if (const auto* flag = std::get_if<bool>(&at(name))) return *flag;
  throw SpecError("parameter '" + std::string(name) + "' is not a boolean");
}

const std::string& Parameters::text(std::string_view name) const {
  if (const auto* string = std::get_if<std::string>(&at(name))) return *string;
  throw SpecError("parameter '" + std::string(name) + "' is not a string");
}

std::vector<double> Parameters::numbers(std::string_view name) const {
  if (const auto* list = std::get_if<std::vector<double>>(&at(name))) return *list;
  return {number(name)};
}

const Distribution* Parameters::distribution(std::string_view name) const {
  if (!contains(name)) return nullptr;
  return std::get_if<Distribution>(&at(name));
}

const Table& Parameters::table(std::string_view name) const {
  if (const auto* table = std::get_if<Table>(&at(name))) return *table;
  throw SpecError("parameter '" + std::string(name) + "' is not a table");
}

const Parameters* Parameters::block(std::string_view name) const {
  const auto it = blocks_.find(name);
  return it == blocks_.end() ? nullptr : &it->second;
}

void Parameters::set_block(std::string name, Parameters block) { blocks_.insert_or_assign(std::move(name), std::move(block)); }

std::size_t Table::column(std::string_view name) const {
  return static_cast<std::size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin());
}

std::int64_t ScenarioSpec::agent_count() const {
  return std::accumulate(groups.begin(), groups.end(), std::int64_t{0},
                         [](std::int64_t sum, const GroupSpec& group) { return sum + group.count; });
}

std::int64_t ScenarioSpec::variant_count() const {
  return variants.empty() ? 1 : static_cast<std::int64_t>(variants.size());
}

const ScenarioSpec& ScenarioSpec::variant_spec(std::int64_t index) const {
  if (index < 0 || index >= variant_count())
    throw SpecError("variant " + std::to_string(index) + " is not in the scenario (" + std::to_string(variant_count()) +
                    " variants)");
  return variants.empty() ? *this : variants[static_cast<std::size_t>(index)];
}

std::vector<std::size_t> GroupSpec::cohort_sizes() const {
  const auto n = static_cast<std::size_t>(count);
  std::vector<std::size_t> counts(behaviours.size());
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t assigned = 0;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    const double exact = behaviours[c].share * static_cast<double>(n);
    counts[c] = static_cast<std::size_t>(std::floor(exact));
    assigned += counts[c];
    remainders.emplace_back(exact - std::floor(exact), c);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; assigned < n && k < remainders.size(); ++k, ++assigned) ++counts[remainders[k].second];
  // Shares that sum to one leave nothing over; the guard keeps the total exact regardless.
  if (assigned < n && !counts.empty()) counts.back() += n - assigned;
  return counts;
}

}  // namespace commons::sim
