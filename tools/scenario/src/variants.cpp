// SPDX-License-Identifier: Apache-2.0
#include "variants.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace commons::scenario::detail {
namespace {

std::int64_t agents_in(const Json& groups) {
  std::int64_t total = 0;
  for (const Json& group : groups) total += group.at("count").get<std::int64_t>();
  return total;
}

bool is_block(std::string_view key) {
  return std::find(variant_blocks.begin(), variant_blocks.end(), key) != variant_blocks.end();
}

// Gives `to` and everything below it the locations of `from` and everything below that.
void move_nodes(Document& target, const Document& source, const std::string& from, const std::string& to) {
  target.erase_subtree(to);
  if (const auto it = source.nodes.find(from); it != source.nodes.end()) target.nodes[to] = it->second;
  // Descendants are exactly the keys in [from + "/", from + "0"): '0' follows '/'.
  const auto first = source.nodes.lower_bound(from + "/");
  const auto last = source.nodes.lower_bound(from + "0");
  for (auto it = first; it != last; ++it) target.nodes[to + it->first.substr(from.size())] = it->second;
}

}  // namespace

void check_variants(const Document& document, bool agent_output, std::int64_t agents) {
  const Json& compare = document.root.at("compare");
  std::unordered_map<std::string, std::size_t> names;
  for (std::size_t i = 0; i < compare.size(); ++i) {
    const Json& item = compare[i];
    const std::string pointer = child_pointer("/compare", i);
    const auto& name = item.at("variant").get_ref<const std::string&>();
    if (const auto [first, inserted] = names.emplace(name, i); !inserted) {
      raise(document, document.locate(pointer + "/variant", false), pointer + "/variant",
            "duplicate variant name '" + name + "'; compare item " + std::to_string(first->second) +
                " already has it");
    }
    const auto groups = item.find("agents");
    if (!agent_output || groups == item.end()) continue;
    // Per-agent series of all runs share one agent coordinate, sized for the largest variant;
    // with different counts, agent k would not be the same agent across variants.
    if (const std::int64_t count = agents_in(*groups); count != agents) {
      raise(document, document.locate(pointer + "/agents", true), pointer + "/agents",
            "the variant has " + std::to_string(count) + " agents and the scenario " + std::to_string(agents) +
                "; with output.agents true every variant must have as many agents as the scenario, as "
                "per-agent series share one agent coordinate");
    }
  }
}

Document variant_document(const Document& document, std::size_t index) {
  const Json& item = document.root.at("compare").at(index);
  const std::string item_pointer = child_pointer("/compare", index);
  Document result;
  result.sources = document.sources;
  result.value_count = document.value_count;
  result.nodes = document.nodes;
  result.erase_subtree("/compare");
  result.shared_note = "; in variant '" + item.at("variant").get<std::string>() + "' (" + item_pointer + ")";

  // Keys keep the scenario's order; a block only the variant gives follows the scenario's keys,
  // and a description only the variant gives follows the name.
  result.root = Json::object();
  for (const auto& [key, value] : document.root.items()) {
    if (key == "compare") continue;
    const bool replaced = (is_block(key) || key == "description") && item.contains(key);
    result.root[key] = replaced ? item.at(key) : value;
    if (key == "name" && !document.root.contains("description") && item.contains("description")) {
      result.root["description"] = item.at("description");
    }
  }
  for (const auto& [key, value] : item.items()) {
    if (is_block(key) && !result.root.contains(key)) result.root[key] = value;
  }

  for (const auto& [key, value] : item.items()) {
    if (key == "variant") continue;
    const std::string here = child_pointer("", key);
    const std::string there = child_pointer(item_pointer, key);
    move_nodes(result, document, there, here);
    result.aliases.emplace_back(here, there);
  }
  return result;
}

void point_into_file(sim::ScenarioSpec& spec, const Document& variant) {
  const auto translate = [&variant](sim::ComponentSpec& component) {
    component.pointer = variant.file_pointer(component.pointer);
  };
  translate(spec.resource);
  for (sim::GroupSpec& group : spec.groups) {
    for (sim::BehaviourShare& share : group.behaviours) translate(share.behaviour);
  }
  for (sim::RuleSpec& rule : spec.governance.rules) translate(rule.rule);
  spec.governance.pointer = variant.file_pointer(spec.governance.pointer);
  translate(spec.network.generator);
  for (sim::Attachment& attachment : spec.attachments) attachment.pointer = variant.file_pointer(attachment.pointer);
}

}  // namespace commons::scenario::detail
