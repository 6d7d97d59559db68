// SPDX-License-Identifier: Apache-2.0
#include "sweep_block.hpp"

#include "schema.hpp"
#include "schema_messages.hpp"
#include "semantic_checks.hpp"
#include "spec_builder.hpp"
#include "variants.hpp"

#include <commons/scenario/scenario_error.hpp>
#include <commons/sim/preflight.hpp>
#include <commons/sim/run.hpp>

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace commons::scenario::detail {
namespace {

using sim::FactorSpec;
using sim::Level;
using sim::SweepSpec;

// Keys whose change would change what a run is rather than the world it runs in, or the plan.
constexpr std::array<std::string_view, 9> fixed_keys{"name",   "description", "steps", "clock",  "replicates",
                                                     "seed",   "output",      "sweep", "compare"};

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    parts.emplace_back(path.substr(start, dot - start));
    if (dot == path.size()) break;
    start = dot + 1;
  }
  return parts;
}

std::string pointer_of(std::string_view path) {
  std::string pointer;
  for (const std::string& part : split(path)) pointer = child_pointer(pointer, part);
  return pointer;
}

Level level_of(const Json& value) {
  if (value.is_boolean()) return Level::of_flag(value.get<bool>());
  if (value.is_string()) return Level::of(value.get<std::string>());
  return Level::of(value.get<double>());
}

Json json_of(const FactorSpec& factor, double value) {
  if (factor.categorical() && !factor.numeric()) {
    const Level& level = factor.levels.at(static_cast<std::size_t>(value));
    if (level.type == Level::Type::text) return Json(level.text);
    return Json(level.flag);
  }
  // A whole number is written as one, so that keys taking integers accept it.
  if (std::isfinite(value) && value == std::nearbyint(value) && std::fabs(value) < 0x1p53)
    return Json(static_cast<std::int64_t>(value));
  return Json(value);
}

std::string number_text(double value) {
  // The shortest text that reads back as the same number.
  std::array<char, 64> text{};
  const auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc{} ? std::string(text.data(), end) : std::to_string(value);
}

std::string value_text(const FactorSpec& factor, double value) {
  if (factor.categorical() && !factor.numeric()) return factor.levels.at(static_cast<std::size_t>(value)).to_string();
  return number_text(value);
}

class SweepReader {
 public:
  SweepReader(const Document& document, const std::vector<std::string>& variants)
      : document_(document), variants_(variants) {}

  [[noreturn]] void fail(const std::string& pointer, const std::string& message, bool at_key = true) const {
    raise(document_, document_.locate(pointer, at_key), pointer, message);
  }

  void check_path(const std::string& path, const std::string& pointer) const {
    const std::string first = split(path).front();
    if (path == "variant") {
      if (variants_.empty())
        fail(pointer, "'variant' names the variants of a comparison, and this scenario has no compare block");
      return;
    }
    for (const std::string& part : split(path))
      if (part.empty()) fail(pointer, "'" + printable(path) + "' has an empty part; write a dotted path such as economics.cost_per_effort");
    if (std::find(fixed_keys.begin(), fixed_keys.end(), first) != fixed_keys.end())
      fail(pointer, "'" + first + "' cannot be swept: it shapes the plan or its results, not the world a run meets; "
                    "sweep keys under resource, economics, agents, governance, network or communication");
  }

  std::vector<Level> read_levels(const Json& values, const std::string& path, const std::string& pointer) const {
    std::vector<Level> levels;
    for (const Json& value : values) levels.push_back(level_of(value));
    if (path == "variant") {
      for (std::size_t i = 0; i < levels.size(); ++i) {
        const bool known = levels[i].type == Level::Type::text &&
                           std::find(variants_.begin(), variants_.end(), levels[i].text) != variants_.end();
        if (!known) {
          std::string names;
          for (const std::string& name : variants_) names += (names.empty() ? "" : ", ") + name;
          fail(child_pointer(pointer + "/values", i),
               "'" + printable(levels[i].to_string()) + "' is not a variant of the comparison; the variants are " + names,
               false);
        }
      }
    }
    return levels;
  }

  FactorSpec read_factor(const std::string& path, const Json& item, const std::string& pointer,
                         SweepSpec::Design design) const {
    check_path(path, pointer);
    FactorSpec factor;
    factor.path = path;
    factor.pointer = pointer;
    const bool has_values = item.contains("values");
    const bool continuous = item.contains("range") || item.contains("distribution");
    if (has_values == continuous)
      fail(pointer, has_values ? "give either values or a range/distribution, not both"
                               : "give the parameter's values, a range, or a distribution");
    const auto only_with = [&](std::string_view key, bool allowed, const std::string& why) {
      if (item.contains(key) && !allowed) fail(child_pointer(pointer, key), std::string(key) + " " + why);
    };
    if (has_values) {
      factor.levels = read_levels(item.at("values"), path, pointer);
      for (const std::string_view key : {"mean", "sd", "mode", "levels"})
        only_with(key, false, "has no meaning beside a list of values");
      return factor;
    }
    if (path == "variant") fail(pointer, "the variant takes values: the names of variants of the comparison");
    factor.distribution = item.value("distribution", std::string("uniform"));
    const bool normal = factor.distribution == "normal";
    factor.low = -std::numeric_limits<double>::infinity();
    factor.high = std::numeric_limits<double>::infinity();
    if (item.contains("range")) {
      factor.low = item.at("range").at(0).get<double>();
      factor.high = item.at("range").at(1).get<double>();
      if (!(factor.low < factor.high))
        fail(pointer + "/range", "the range [" + number_text(factor.low) + ", " + number_text(factor.high) +
                                     "] is empty: its first number must be below its second");
    } else if (!normal) {
      fail(pointer, "a " + factor.distribution + " distribution needs range: [low, high]");
    }
    only_with("mean", normal, "belongs to a normal distribution (distribution: normal)");
    only_with("sd", normal, "belongs to a normal distribution (distribution: normal)");
    only_with("mode", factor.distribution == "triangular", "belongs to a triangular distribution (distribution: triangular)");
    if (normal) {
      if (!item.contains("mean") || !item.contains("sd")) fail(pointer, "a normal distribution needs mean and sd");
      factor.mean = item.at("mean").get<double>();
      factor.sd = item.at("sd").get<double>();
    }
    if (factor.distribution == "log_uniform" && factor.low <= 0)
      fail(pointer + "/range", "a log-uniform range must be above 0, as logarithms are taken");
    if (factor.distribution == "triangular") {
      if (!item.contains("mode")) fail(pointer, "a triangular distribution needs its mode");
      factor.mode = item.at("mode").get<double>();
      if (factor.mode < factor.low || factor.mode > factor.high)
        fail(pointer + "/mode", "the mode " + number_text(factor.mode) + " is outside the range [" +
                                    number_text(factor.low) + ", " + number_text(factor.high) + "]");
    }
    if (design == SweepSpec::Design::factorial) {
      if (!item.contains("levels"))
        fail(pointer, "a factorial design takes a continuous parameter at levels: give levels: N (or values)");
      factor.factorial_levels = item.at("levels").get<std::int64_t>();
    } else {
      only_with("levels", false, "is the number of values in a factorial design, and this design is " +
                                     sim::design_name(design));
    }
    if (design == SweepSpec::Design::morris && normal && (std::isinf(factor.low) || std::isinf(factor.high)))
      fail(pointer, "a Morris design moves each parameter over a grid from its lowest to its highest value; "
                    "give a normal distribution a range to truncate it to");
    return factor;
  }

 private:
  const Document& document_;
  const std::vector<std::string>& variants_;
};

SweepSpec::Design design_of(const std::string& name) {
  using Design = SweepSpec::Design;
  for (const Design design : {Design::factorial, Design::list, Design::latin_hypercube, Design::sobol,
                              Design::saltelli, Design::morris})
    if (sim::design_name(design) == name) return design;
  throw std::logic_error("scenario loader: unknown design '" + name + "'");
}

// Whether the scenario key at `path` takes whole numbers only, by the schema.
bool takes_integers(const Json& root, const std::string& path) {
  Json probe = root;
  probe.erase("sweep");
  const std::string pointer = pointer_of(path);
  try {
    const Json::json_pointer where(pointer);
    if (!probe.contains(where)) return false;
    probe[where] = 0;
  } catch (const Json::exception&) {
    return false;
  }
  const auto schemas = Schema::scenario().at(probe, pointer);
  bool integer = false;
  for (const Json* schema : schemas) {
    const auto types = allowed_types(*schema);
    if (std::find(types.begin(), types.end(), "number") != types.end()) return false;
    if (std::find(types.begin(), types.end(), "integer") != types.end()) integer = true;
  }
  return integer;
}

std::int64_t agents_in(const Json& root) {
  std::int64_t total = 0;
  for (const Json& group : root.at("agents")) total += group.at("count").get<std::int64_t>();
  return total;
}

}  // namespace

sim::SweepSpec read_sweep(const Document& document, const std::vector<std::string>& variants,
                          std::uint64_t scenario_seed, std::int64_t scenario_replicates) {
  const Json& block = document.root.at("sweep");
  const SweepReader reader(document, variants);
  SweepSpec sweep;
  sweep.design = design_of(block.at("design").get<std::string>());
  using Design = SweepSpec::Design;
  const bool sampled = sweep.design != Design::factorial && sweep.design != Design::list;
  if (sampled && !block.contains("samples"))
    reader.fail("/sweep", "a " + sim::design_name(sweep.design) + " design needs samples: " +
                              (sweep.design == Design::saltelli  ? "the base samples N (N (k + 2) points for k parameters)"
                               : sweep.design == Design::morris ? "the number of trajectories"
                                                                : "the number of points"));
  if (!sampled && block.contains("samples"))
    reader.fail("/sweep/samples", "a " + sim::design_name(sweep.design) + " design takes no samples: its points are " +
                                      (sweep.design == Design::list ? "listed under points" : "every combination of levels"));
  sweep.samples = block.value("samples", std::int64_t{0});
  if (block.contains("levels") && sweep.design != Design::morris)
    reader.fail("/sweep/levels", "levels is the grid of a Morris design; give a factorial design's levels per parameter");
  sweep.grid_levels = block.value("levels", std::int64_t{4});
  sweep.replicates = block.value("replicates", scenario_replicates);
  sweep.design_seed = block.value("seed", scenario_seed);

  if (sweep.design == Design::list) {
    if (!block.contains("points")) reader.fail("/sweep", "a list design needs its points: a list of path: value mappings");
    if (block.contains("parameters"))
      reader.fail("/sweep/parameters", "a list design takes its parameters from its points; remove parameters");
    const Json& points = block.at("points");
    std::vector<std::string> paths;
    for (const Json& point : points)
      for (const auto& [path, value] : point.items())
        if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
    for (const std::string& path : paths) {
      const std::string pointer = child_pointer(child_pointer("/sweep/points", std::size_t{0}), path);
      reader.check_path(path, points.at(0).contains(path) ? pointer : "/sweep/points/0");
      FactorSpec factor;
      factor.path = path;
      factor.pointer = points.at(0).contains(path) ? pointer : "/sweep/points";
      sweep.parameters.push_back(std::move(factor));
    }
    for (std::size_t r = 0; r < points.size(); ++r) {
      std::vector<Level> row;
      for (FactorSpec& factor : sweep.parameters) {
        const std::string point_pointer = child_pointer("/sweep/points", r);
        if (!points[r].contains(factor.path))
          reader.fail(point_pointer, "point " + std::to_string(r) + " gives no value for " + factor.path +
                                         "; every point of a list gives every parameter");
        Level level = level_of(points[r].at(factor.path));
        if (factor.path == "variant")
          static_cast<void>(reader.read_levels(Json::array({points[r].at(factor.path)}), "variant",
                                               child_pointer(point_pointer, factor.path)));
        if (std::find(factor.levels.begin(), factor.levels.end(), level) == factor.levels.end())
          factor.levels.push_back(level);
        row.push_back(std::move(level));
      }
      sweep.points.push_back(std::move(row));
    }
  } else {
    if (block.contains("points"))
      reader.fail("/sweep/points", "points belong to a list design; this design is " + sim::design_name(sweep.design));
    if (block.contains("parameters")) {
      for (const auto& [path, item] : block.at("parameters").items())
        sweep.parameters.push_back(
            reader.read_factor(path, item, child_pointer("/sweep/parameters", path), sweep.design));
    } else if (sampled || !block.contains("levers")) {
      reader.fail("/sweep", "a " + sim::design_name(sweep.design) + " design needs parameters: the paths it varies");
    }
  }
  if (block.contains("levers")) {
    for (const auto& [key, item] : block.at("levers").items()) {
      // A named copy: Clang 14 cannot capture a structured binding in a lambda.
      const std::string path = key;
      const std::string pointer = child_pointer("/sweep/levers", path);
      if (std::any_of(sweep.parameters.begin(), sweep.parameters.end(),
                      [&](const FactorSpec& factor) { return factor.path == path; }))
        reader.fail(pointer, "'" + path + "' is both a parameter and a lever; it can be only one");
      reader.check_path(path, pointer);
      FactorSpec lever;
      lever.path = path;
      lever.pointer = pointer;
      lever.levels = reader.read_levels(item.at("values"), path, pointer);
      sweep.levers.push_back(std::move(lever));
    }
  }
  // Without a variant factor, the variants of a comparison are compared at every point.
  const auto is_variant = [](const FactorSpec& factor) { return factor.path == "variant"; };
  if (!variants.empty() && std::none_of(sweep.parameters.begin(), sweep.parameters.end(), is_variant) &&
      std::none_of(sweep.levers.begin(), sweep.levers.end(), is_variant)) {
    FactorSpec lever;
    lever.path = "variant";
    lever.pointer = "/compare";
    for (const std::string& name : variants) lever.levels.push_back(Level::of(name));
    sweep.levers.push_back(std::move(lever));
  }
  for (FactorSpec& factor : sweep.parameters)
    if (!factor.categorical() && factor.path != "variant") factor.integer = takes_integers(document.root, factor.path);
  for (const FactorSpec* factor : sweep.factors())
    if (factor->path == "variant")
      for (const Level& level : factor->levels)
        sweep.variant_of_level.push_back(
            std::find(variants.begin(), variants.end(), level.text) - variants.begin());

  // The design must be one the engine can make (Sobol's dimensions are limited).
  try {
    const sim::SweepDesign design = sim::expand(sweep);
    const double runs = static_cast<double>(design.points) * static_cast<double>(design.policies) *
                        static_cast<double>(sweep.replicates);
    if (runs > 1e8)
      reader.fail("/sweep", "the sweep has " + number_text(runs) + " runs; Commons plans at most 100000000 in one file");
  } catch (const std::invalid_argument& error) {
    reader.fail("/sweep", error.what());
  }
  return sweep;
}

SweepPoints::SweepPoints(std::vector<Document> templates, std::vector<std::string> names, std::string source,
                         std::filesystem::path directory, sim::SweepSpec sweep)
    : templates_(std::move(templates)),
      names_(std::move(names)),
      source_(std::move(source)),
      directory_(std::move(directory)),
      sweep_(std::move(sweep)),
      policies_(sim::expand(sweep_).policies) {
  sweep_.specs.reset();
  for (const Document& document : templates_) {
    Document filled = document;
    fill_defaults(filled);
    files_.push_back(read_attached_files(filled, directory_, agents_in(filled.root)));
    names_files_.push_back(!files_.back().attachments.empty());
  }
}

Document SweepPoints::point_document(std::int64_t variant, std::span<const double> values, const Document* file) const {
  const Document& base = templates_.at(static_cast<std::size_t>(variant));
  Document document;
  if (file != nullptr) {
    document = base;
  } else {
    // Runs need no locations: the point was checked when the scenario was loaded.
    document.root = base.root;
    document.sources = base.sources;
  }
  const std::vector<const FactorSpec*> factors = sweep_.factors();
  for (std::size_t f = 0; f < factors.size(); ++f) {
    const FactorSpec& factor = *factors[f];
    if (factor.path == "variant") continue;
    const std::optional<Location> where =
        file != nullptr ? std::optional<Location>(file->locate(factor.pointer, true)) : std::nullopt;
    const auto fail = [&](const std::string& message) {
      throw ScenarioError(source_, where ? where->line : 1, where ? where->column : 1, factor.pointer, message);
    };
    const std::vector<std::string> parts = split(factor.path);
    Json* node = &document.root;
    std::string pointer;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const bool last = i + 1 == parts.size();
      if (node->is_object()) {
        pointer = child_pointer(pointer, parts[i]);
        if (last) {
          (*node)[parts[i]] = json_of(factor, values[f]);
        } else {
          if (!node->contains(parts[i])) (*node)[parts[i]] = Json::object();
          node = &(*node)[parts[i]];
        }
      } else if (node->is_array()) {
        std::size_t index = 0;
        const auto [end, error] = std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), index);
        if (error != std::errc{} || end != parts[i].data() + parts[i].size())
          fail("'" + printable(factor.path) + "': " + (pointer.empty() ? std::string("the scenario") : pointer) +
               " is a list; give an index instead of '" + printable(parts[i]) + "'");
        if (index >= node->size())
          fail("'" + printable(factor.path) + "': index " + std::to_string(index) + " is out of range: " + pointer +
               " has " + std::to_string(node->size()) + (node->size() == 1 ? " entry" : " entries"));
        pointer = child_pointer(pointer, index);
        if (last)
          (*node)[index] = json_of(factor, values[f]);
        else
          node = &(*node)[index];
      } else {
        fail("cannot set '" + printable(factor.path) + "': " + pointer + " is not a mapping or a list");
      }
    }
    if (where) {
      document.erase_subtree(pointer);
      document.nodes[pointer].key = *where;
      document.nodes[pointer].value = *where;
    }
  }
  return document;
}

sim::ScenarioSpec SweepPoints::build_point(Document& document, std::int64_t variant) const {
  fill_defaults(document);
  const auto v = static_cast<std::size_t>(variant);
  sim::ScenarioSpec spec =
      names_files_[v] ? build_spec(document.root, source_,
                                   read_attached_files(document, directory_, agents_in(document.root)))
                      : build_spec(document.root, source_, files_[v]);
  if (!names_[v].empty()) {
    point_into_file(spec, document);
    spec.variant = names_[v];
  }
  return spec;
}

std::shared_ptr<const sim::ScenarioSpec> SweepPoints::make(std::int64_t variant, std::span<const double> values) const {
  Document document = point_document(variant, values, nullptr);
  return std::make_shared<const sim::ScenarioSpec>(build_point(document, variant));
}

std::shared_ptr<const sim::ScenarioSpec> SweepPoints::largest() const {
  return make(largest_variant_, largest_values_);
}

std::vector<sim::RunLayout> SweepPoints::layouts(const sim::Registry& registry) const {
  {
    const std::scoped_lock lock(layouts_mutex_);
    if (layouts_known_) return layouts_;
  }
  // Not learnt when the scenario was loaded (no registry then).
  survey(nullptr, &registry);
  const std::scoped_lock lock(layouts_mutex_);
  return layouts_;
}

std::int64_t SweepPoints::layout_of(std::int64_t point, std::int64_t policy) const {
  const std::scoped_lock lock(layouts_mutex_);
  const auto at = static_cast<std::size_t>(point * policies_ + policy);
  return at < layout_of_.size() ? layout_of_[at] : 0;
}

void SweepPoints::check_all(const Document& file, const sim::Registry* registry) { survey(&file, registry); }

void SweepPoints::survey(const Document* file, const sim::Registry* registry) const {
  const sim::SweepDesign design = sim::expand(sweep_);
  const std::vector<const FactorSpec*> factors = sweep_.factors();
  const std::size_t p = sweep_.parameters.size();
  const std::size_t l = sweep_.levers.size();
  const auto combinations = static_cast<std::size_t>(design.points * design.policies);

  std::mutex mutex;
  // The first bad point in plan order, whichever thread finds it first.
  std::size_t first_bad = combinations;
  std::optional<ScenarioError> problem;
  // Layouts as found, in any order; numbered in plan order below.
  struct Found {
    sim::RunLayout layout;
    std::size_t first = 0;
  };
  std::vector<Found> found;
  std::vector<std::int32_t> found_of(registry != nullptr ? combinations : 0, -1);
  std::int64_t most_agents = -1;
  std::size_t most_at = combinations;

  const auto describe_point = [&](std::size_t combination, const std::vector<double>& values) {
    const auto point = combination / static_cast<std::size_t>(design.policies);
    const auto policy = combination % static_cast<std::size_t>(design.policies);
    std::string text = "design point " + std::to_string(point);
    if (design.policies > 1) text += ", policy " + std::to_string(policy);
    text += " (";
    for (std::size_t f = 0; f < factors.size(); ++f)
      text += (f == 0 ? "" : ", ") + factors[f]->path + " = " + value_text(*factors[f], values[f]);
    return text + ")";
  };
  const auto same = [](const sim::RunLayout& a, const sim::RunLayout& b) {
    const auto names = [](const auto& x, const auto& y) {
      return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                        [](const auto& u, const auto& v) { return u.name == v.name && u.units == v.units; });
    };
    return names(a.series, b.series) && names(a.summary, b.summary) && names(a.references, b.references) &&
           names(a.agent_variables, b.agent_variables) && a.agent_ids == b.agent_ids &&
           a.max_degree.has_value() == b.max_degree.has_value();
  };

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, combinations), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t combination = range.begin(); combination != range.end(); ++combination) {
      {
        const std::scoped_lock lock(mutex);
        if (combination > first_bad) return;
      }
      const auto point = combination / static_cast<std::size_t>(design.policies);
      const auto policy = combination % static_cast<std::size_t>(design.policies);
      std::vector<double> values(design.parameter_values.begin() + static_cast<std::ptrdiff_t>(point * p),
                                 design.parameter_values.begin() + static_cast<std::ptrdiff_t>((point + 1) * p));
      values.insert(values.end(), design.lever_values.begin() + static_cast<std::ptrdiff_t>(policy * l),
                    design.lever_values.begin() + static_cast<std::ptrdiff_t>((policy + 1) * l));
      const std::int64_t variant = sweep_.variant_at(values);
      try {
        for (std::size_t f = 0; f < values.size(); ++f)
          if (!std::isfinite(values[f])) {
            const Location where = file != nullptr ? file->locate(factors[f]->pointer, true) : Location{};
            throw ScenarioError(source_, where.line, where.column, factors[f]->pointer,
                                "the value is not a finite number; a distribution without bounds reached infinity "
                                "at the edge of the design");
          }
        Document document = point_document(variant, values, file);
        if (file != nullptr) {
          prepare(document);
          validate(document);
          check_rules(document);
        }
        sim::ScenarioSpec spec = build_point(document, variant);
        std::optional<sim::RunLayout> layout;
        if (registry != nullptr) {
          if (file != nullptr) spec = preflight_at_keys(std::move(spec), document, registry);
          layout = sim::describe_run(spec, *registry);
        }
        const std::scoped_lock lock(mutex);
        if (spec.agent_count() > most_agents || (spec.agent_count() == most_agents && combination < most_at)) {
          most_agents = spec.agent_count();
          most_at = combination;
          largest_variant_ = variant;
          largest_values_ = values;
        }
        if (layout) {
          auto known = std::find_if(found.begin(), found.end(), [&](const Found& f) { return same(f.layout, *layout); });
          if (known == found.end()) {
            found.push_back(Found{std::move(*layout), combination});
            known = found.end() - 1;
          } else {
            known->first = std::min(known->first, combination);
            if (layout->max_degree) known->layout.max_degree = std::max(*known->layout.max_degree, *layout->max_degree);
          }
          found_of[combination] = static_cast<std::int32_t>(known - found.begin());
        }
      } catch (const ScenarioError& error) {
        // Where a swept value is the problem, point at the factor in the sweep block.
        std::string pointer = error.pointer();
        std::int64_t line = error.line();
        std::int64_t column = error.column();
        for (const FactorSpec* factor : factors) {
          const std::string at = pointer_of(factor->path);
          if (file != nullptr && factor->path != "variant" && (pointer == at || pointer.starts_with(at + "/"))) {
            const Location where = file->locate(factor->pointer, true);
            pointer = factor->pointer;
            line = where.line;
            column = where.column;
          }
        }
        const std::scoped_lock lock(mutex);
        if (combination < first_bad) {
          first_bad = combination;
          problem.emplace(error.file(), line, column, pointer, describe_point(combination, values) + ": " + error.message());
        }
      }
    }
  });
  if (problem) throw *problem;
  if (registry == nullptr) return;
  // Per-agent series of all runs share one agent coordinate: the first point, in plan order,
  // whose agents differ from the first point's is the one to name.
  std::optional<std::size_t> reference;
  for (std::size_t c = 0; c < combinations; ++c) {
    const sim::RunLayout& layout = found[static_cast<std::size_t>(found_of[c])].layout;
    if (layout.agent_ids.empty()) continue;
    if (!reference) {
      reference = c;
      continue;
    }
    const sim::RunLayout& first = found[static_cast<std::size_t>(found_of[*reference])].layout;
    if (layout.agent_ids.size() == first.agent_ids.size()) continue;
    const auto point = c / static_cast<std::size_t>(design.policies);
    const auto policy = c % static_cast<std::size_t>(design.policies);
    std::vector<double> values(design.parameter_values.begin() + static_cast<std::ptrdiff_t>(point * p),
                               design.parameter_values.begin() + static_cast<std::ptrdiff_t>((point + 1) * p));
    values.insert(values.end(), design.lever_values.begin() + static_cast<std::ptrdiff_t>(policy * l),
                  design.lever_values.begin() + static_cast<std::ptrdiff_t>((policy + 1) * l));
    std::string pointer = "/sweep";
    for (const FactorSpec* factor : factors)
      if (factor->path.starts_with("agents.") && factor->path.ends_with(".count")) pointer = factor->pointer;
    const Location where = file != nullptr ? file->locate(pointer, true) : Location{};
    throw ScenarioError(source_, where.line, where.column, pointer,
                        describe_point(c, values) + " has " + std::to_string(layout.agent_ids.size()) +
                            " agents and design point " + std::to_string(*reference / static_cast<std::size_t>(design.policies)) +
                            " has " + std::to_string(first.agent_ids.size()) +
                            "; with output.agents true every run records the same agents, as per-agent series "
                            "share one agent coordinate");
  }
  // Number the layouts in plan order, whatever order the threads found them in.
  std::vector<std::size_t> order(found.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return found[a].first < found[b].first; });
  std::vector<std::int32_t> rank(found.size());
  for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<std::int32_t>(i);
  const std::scoped_lock lock(layouts_mutex_);
  layouts_.clear();
  for (const std::size_t i : order) layouts_.push_back(found[i].layout);
  layout_of_.resize(combinations);
  for (std::size_t c = 0; c < combinations; ++c) layout_of_[c] = rank[static_cast<std::size_t>(found_of[c])];
  layouts_known_ = true;
}

}  // namespace commons::scenario::detail
