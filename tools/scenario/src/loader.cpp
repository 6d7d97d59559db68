// SPDX-License-Identifier: Apache-2.0
#include <commons/scenario/loader.hpp>

#include "document.hpp"
#include "overrides.hpp"
#include "schema_messages.hpp"
#include "spec_builder.hpp"
#include "sweep_block.hpp"
#include "variants.hpp"
#include "yaml_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <memory>
#include <optional>
#include <system_error>

namespace commons::scenario {
namespace {

std::string too_large(std::uintmax_t bytes) {
  return "scenario file is too large (" + std::to_string(bytes) + " bytes; the limit is " +
         std::to_string(max_scenario_bytes) + " bytes)";
}

[[noreturn]] void file_error(const std::string& source, std::string message) {
  throw ScenarioError(source, 1, 1, "", std::move(message));
}

std::string kind_of(const detail::Json& value) {
  if (value.is_array()) return "a list";
  if (value.is_string()) return "text";
  if (value.is_boolean()) return "true or false";
  return "a number";
}

// Paths of CSV files in the scenario are relative to `directory`.
sim::ScenarioSpec load(std::string_view text, std::string_view source_name, std::span<const Override> overrides,
                       const std::filesystem::path& directory, const sim::Registry* registry) {
  const std::string source(source_name);
  detail::Document document;
  document.sources.push_back(source);
  // File-level checks come first, so that a binary or huge file never reaches the parser.
  if (text.size() > max_scenario_bytes) file_error(source, too_large(text.size()));
  if (auto problem = detail::text_problem(text)) file_error(source, "scenario is not a text file: " + *problem);

  auto root = detail::read_yaml(detail::YamlSource{text, 0, 1}, "", document);
  if (!root || root->is_null()) {
    file_error(source, "scenario is empty: it has no keys, only blank lines or comments");
  }
  if (!root->is_object()) {
    detail::raise(document, document.locate("", false), "",
                  "the top level of a scenario must be a mapping of keys to values, not " + kind_of(*root));
  }
  document.root = std::move(*root);

  for (const Override& change : overrides) detail::apply_override(document, change);
  detail::prepare(document);
  detail::validate(document);
  // A sweep is read after the scenario it sweeps: the scenario (without the block) must be valid
  // on its own, and is the template every design point starts from.
  std::optional<detail::Document> with_sweep;
  if (document.root.contains("sweep")) {
    with_sweep = document;
    document.root.erase("sweep");
  }
  std::vector<detail::Document> templates;
  std::vector<std::string> names;
  sim::ScenarioSpec spec;
  std::optional<detail::Document> validated;
  if (!document.root.contains("compare")) {
    if (with_sweep) {
      templates.push_back(document);
      names.emplace_back();
    }
    spec = detail::build_scenario(document, source, directory);
  } else {
    // Variants are made from the validated document before any default is filled in, so that a
    // variant's defaults (its series) follow its own blocks. The scenario is the template and
    // must be valid on its own; it is checked first, without the list.
    validated = document;
    document.root.erase("compare");
    spec = detail::build_scenario(document, source, directory);
    detail::check_variants(*validated, spec.output.agents, spec.agent_count());
    const detail::Json& compare = validated->root.at("compare");
    // The resolved list records each variant with its own blocks resolved.
    detail::Json resolved = detail::Json::array();
    for (std::size_t i = 0; i < compare.size(); ++i) {
      detail::Document variant = detail::variant_document(*validated, i);
      if (with_sweep) {
        templates.push_back(variant);
        names.push_back(compare[i].at("variant").get<std::string>());
      }
      sim::ScenarioSpec built = detail::build_scenario(variant, source, directory);
      detail::point_into_file(built, variant);
      built.variant = compare[i].at("variant").get<std::string>();
      // The item as written (name, description), with each block it gives as the variant resolved it.
      detail::Json item = detail::Json::object();
      for (const auto& [key, value] : compare[i].items()) {
        item[key] = key == "variant" || key == "description" ? value : variant.root.at(key);
      }
      resolved.push_back(std::move(item));
      // A file a variant inherits from the template is the template's; one of its own blocks
      // has a pointer of its own.
      for (const sim::Attachment& attachment : built.attachments) {
        const bool known = std::any_of(spec.attachments.begin(), spec.attachments.end(),
                                       [&](const sim::Attachment& a) { return a.pointer == attachment.pointer; });
        if (!known) spec.attachments.push_back(attachment);
      }
      spec.variants.push_back(std::move(built));
    }
    document.root["compare"] = std::move(resolved);
    spec.resolved_text = detail::resolved_text(document.root);
  }
  spec = detail::preflight_at_keys(std::move(spec), validated ? *validated : document, registry);
  if (!with_sweep) return spec;

  std::vector<std::string> variant_names;
  for (const sim::ScenarioSpec& variant : spec.variants) variant_names.push_back(variant.variant);
  sim::SweepSpec sweep = detail::read_sweep(*with_sweep, variant_names, spec.seed, spec.replicates);
  auto points = std::make_shared<detail::SweepPoints>(std::move(templates), std::move(names), source, directory, sweep);
  points->check_all(*with_sweep, registry);
  sweep.specs = std::move(points);
  spec.sweep = std::move(sweep);
  // The resolved scenario records the sweep as written, with its defaults.
  detail::Json block = with_sweep->root.at("sweep");
  if (!block.contains("replicates")) block["replicates"] = spec.sweep->replicates;
  if (spec.sweep->design == sim::SweepSpec::Design::morris && !block.contains("levels"))
    block["levels"] = spec.sweep->grid_levels;
  document.root["sweep"] = std::move(block);
  spec.resolved_text = detail::resolved_text(document.root);
  return spec;
}

}  // namespace

sim::ScenarioSpec load_scenario_text(std::string_view text, std::string_view source_name,
                                     std::span<const Override> overrides, const sim::Registry* registry) {
  return load(text, source_name, overrides, {}, registry);
}

sim::ScenarioSpec load_scenario_file(const std::filesystem::path& file, std::span<const Override> overrides,
                                     const sim::Registry* registry) {
  const std::string source = file.string();
  std::error_code error;
  const auto status = std::filesystem::status(file, error);
  if (error) file_error(source, "cannot read scenario file: " + error.message());
  if (std::filesystem::is_directory(status)) file_error(source, "cannot read scenario file: it is a directory");
  if (std::filesystem::is_regular_file(status)) {
    // Refuse a huge file before reading it.
    const auto size = std::filesystem::file_size(file, error);
    if (!error && size > max_scenario_bytes) file_error(source, too_large(size));
  }

  std::ifstream stream(file, std::ios::binary);
  if (!stream) file_error(source, "cannot read scenario file: " + std::generic_category().message(errno));
  std::string text = detail::read_at_most(stream, max_scenario_bytes);
  if (stream.bad()) file_error(source, "cannot read scenario file: " + std::generic_category().message(errno));
  if (text.size() > max_scenario_bytes) {
    file_error(source, "scenario file is too large (more than " + std::to_string(max_scenario_bytes) +
                           " bytes; the limit is " + std::to_string(max_scenario_bytes) + " bytes)");
  }
  return load(text, source, overrides, file.parent_path(), registry);
}

std::optional<std::string> likely_meant(std::string_view word, const std::vector<std::string>& candidates) {
  return detail::nearest(word, candidates);
}

}  // namespace commons::scenario
