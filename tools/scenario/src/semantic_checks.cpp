// SPDX-License-Identifier: Apache-2.0
#include "semantic_checks.hpp"

#include "model_facts.hpp"
#include "schema.hpp"
#include "schema_messages.hpp"

#include <commons/sim/network.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>
#include <unordered_map>

namespace commons::scenario::detail {
namespace {

// Shares of a mixed group are decimal fractions; their binary sum misses 1 by rounding only.
constexpr double share_sum_tolerance = 1e-9;

// A sum of shares for a message: 12 significant digits hide the binary rounding of decimal
// fractions (0.6 + 0.3 shows as 0.9) yet show any miss larger than the 1e-9 tolerance.
std::string shares_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.12g", value);
  return buffer;
}

std::int64_t total_agents(const Json& root) {
  std::int64_t total = 0;
  for (const Json& group : root.at("agents")) total += group.at("count").get<std::int64_t>();
  return total;
}

// Every behaviour component of a group with its pointer: the one behaviour, or each of the mix.
std::vector<std::pair<std::string, const Json*>> behaviours_of(const Json& group, const std::string& group_pointer) {
  std::vector<std::pair<std::string, const Json*>> result;
  if (const auto behaviour = group.find("behaviour"); behaviour != group.end()) {
    result.emplace_back(group_pointer + "/behaviour", &*behaviour);
  }
  if (const auto mix = group.find("mix"); mix != group.end()) {
    for (std::size_t j = 0; j < mix->size(); ++j) {
      result.emplace_back(child_pointer(group_pointer + "/mix", j) + "/behaviour", &(*mix)[j].at("behaviour"));
    }
  }
  return result;
}

[[noreturn]] void raise_at(const Document& document, const std::string& pointer, bool at_key, std::string message) {
  raise(document, document.locate(pointer, at_key), pointer, std::move(message));
}

// Distributions whose parts the schema checks one by one but not against each other.
void check_distributions(const Document& document, const Json& value, const std::string& pointer) {
  if (!value.is_object()) return;
  if (const auto uniform = value.find("uniform"); uniform != value.end() && uniform->is_array() && uniform->size() == 2) {
    if (less_than((*uniform)[1], (*uniform)[0])) {
      const std::string at = pointer + "/uniform";
      raise_at(document, at, false,
               "low must not exceed high (got [" + show((*uniform)[0], document, at + "/0") + ", " +
                   show((*uniform)[1], document, at + "/1") + "])");
    }
    return;
  }
  if (const auto discrete = value.find("discrete"); discrete != value.end() && discrete->is_object()) {
    const auto weights = discrete->find("weights");
    if (weights == discrete->end()) return;
    const std::string at = pointer + "/discrete/weights";
    const std::size_t values = discrete->at("values").size();
    if (weights->size() != values) {
      raise_at(document, at, false,
               "must have one weight per value: " + entries(values) + " in values, " + entries(weights->size()) +
                   " here");
    }
    if (std::all_of(weights->begin(), weights->end(), [](const Json& weight) { return weight.get<double>() == 0.0; })) {
      raise_at(document, at, false, "the weights must not all be zero");
    }
    return;
  }
  for (const auto& [key, member] : value.items()) check_distributions(document, member, child_pointer(pointer, key));
}

// Which resources bound each agent's effort themselves (capability effort_limit), for messages
// about behaviours that need a bound otherwise: named from the models' facts, not here.
std::string effort_limit_holders() {
  const auto names = ModelFacts::scenario().resources_with_effort_limit();
  if (names.empty()) return "no resource does at present";
  return "as " + join(names) + (names.size() == 1 ? " does" : " do");
}

// `bounded`: the resource bounds each agent's effort itself (an endowment).
void check_behaviour(const Document& document, const Json& behaviour, const std::string& pointer, bool bounded) {
  const auto& model = behaviour.at("model").get_ref<const std::string&>();
  const auto has = [&behaviour](const char* key) { return behaviour.contains(key); };
  if (model == "fixed") {
    const bool effort = has("effort");
    const bool schedule = has("schedule");
    if (effort == schedule) {
      raise_at(document, pointer, true,
               std::string("the fixed behaviour takes exactly one of 'effort' or 'schedule'; ") +
                   (effort ? "both are given" : "neither is given"));
    }
  } else if (model == "best_response" && !bounded && !has("choices") && !has("max_effort")) {
    raise_at(document, pointer, true,
             "best_response needs 'choices' or 'max_effort' to bound the efforts it searches, unless the resource "
             "bounds each agent's effort itself (" + effort_limit_holders() + ")");
  } else if (model == "ewa" && !bounded && !has("choices")) {
    raise_at(document, pointer, true,
             "ewa needs 'choices', the efforts it learns among, unless the resource bounds each agent's effort "
             "itself (" + effort_limit_holders() + "; the choices are then 0, 1, ..., that bound)");
  } else if (model == "aspiration" && !has("choices") && !has("exploration")) {
    raise_at(document, pointer, true,
             "aspiration needs 'choices' or 'exploration' to say how a dissatisfied agent picks a new effort");
  }
  for (const auto& [key, member] : behaviour.items()) check_distributions(document, member, child_pointer(pointer, key));
}

void check_network(const Document& document, std::int64_t agents) {
  const Json& root = document.root;
  const auto network = root.find("network");
  if (network == root.end()) return;
  if (static_cast<std::uint64_t>(agents) > sim::max_network_nodes) {
    raise_at(document, "/network", true,
             "a network holds at most " + std::to_string(sim::max_network_nodes) + " agents; the groups have " +
                 std::to_string(agents));
  }
  const auto& model = network->at("model").get_ref<const std::string&>();
  const double n = static_cast<double>(agents);
  const auto below_agents = [&](const char* key) {
    const Json& value = network->at(key);
    if (value.get<double>() < n) return;
    const std::string pointer = child_pointer("/network", key);
    raise_at(document, pointer, false,
             "must be less than the number of agents, " + std::to_string(agents) + " (got " +
                 show(value, document, pointer) + ")");
  };
  if (model == "ring_lattice" || model == "watts_strogatz") below_agents("degree");
  if (model == "barabasi_albert") below_agents("links_per_node");
  if (model == "spatial_neighbourhood") {
    const Json& width = network->at("width");
    // Compared as doubles first: an integer beyond int64 (read as unsigned) must not wrap.
    if (width.get<double>() > n || agents % width.get<std::int64_t>() != 0) {
      raise_at(document, "/network/width", false,
               "must divide the number of agents, " + std::to_string(agents) + ", into full rows (got " +
                   show(width, document, "/network/width") + ")");
    }
    const std::int64_t columns = width.get<std::int64_t>();
    const std::int64_t rows = agents / columns;
    const Json radius = network->value("radius", Json(1));
    if (network->value("torus", false) &&
        2.0 * radius.get<double>() + 1.0 > static_cast<double>(std::min(columns, rows))) {
      raise_at(document, "/network/radius", false,
               "on a torus 2 radius + 1 must not exceed the grid's width (" + std::to_string(columns) +
                   ") or height (" + std::to_string(rows) + "), or the neighbourhood wraps onto itself (got " +
                   show(radius, document, "/network/radius") + ")");
    }
  }
}

bool talks(const Json& root) {
  const auto communication = root.find("communication");
  return communication != root.end() && communication->value("mode", "none") != "none";
}

void check_communication(const Document& document) {
  const Json& root = document.root;
  const auto communication = root.find("communication");
  if (communication == root.end()) return;
  const auto start = communication->find("start_step");
  const auto steps = root.at("steps").get<std::int64_t>();
  if (start != communication->end() && start->get<double>() >= static_cast<double>(steps)) {
    raise_at(document, "/communication/start_step", false,
             "must be less than steps, " + std::to_string(steps) + " (got " +
                 show(*start, document, "/communication/start_step") + ")");
  }
}

// Per-site and per-agent series are sampled at the end of each interval: an interval longer
// than the run would sample nothing, which is never what was meant.
void check_interval(const Document& document, const std::string& key) {
  const Json& root = document.root;
  const auto output = root.find("output");
  if (output == root.end()) return;
  const auto interval = output->find(key);
  const auto steps = root.at("steps").get<std::int64_t>();
  const std::string pointer = "/output/" + key;
  if (interval != output->end() && interval->get<std::int64_t>() > steps) {
    raise_at(document, pointer, false,
             "must be at most steps, " + std::to_string(steps) + " (got " + show(*interval, document, pointer) + ")");
  }
}

// A per-agent setting without per-agent output has nothing to act on.
void check_needs_agents(const Document& document, const std::string& key, const std::string& what) {
  const Json& root = document.root;
  const auto output = root.find("output");
  if (output == root.end() || output->find(key) == output->end()) return;
  const auto agents = output->find("agents");
  if (agents == output->end() || !agents->get<bool>())
    raise_at(document, "/output/" + key, false, what + " the per-agent output, which is recorded only with output.agents: true");
}

// A sample of the agents is a sample of per-agent output: without it there is nothing to sample,
// and a stride beyond the agents would keep agent 0 alone, which is never what was meant.
void check_agent_stride(const Document& document) {
  const Json& root = document.root;
  const auto output = root.find("output");
  if (output == root.end()) return;
  const auto stride = output->find("agent_stride");
  if (stride == output->end()) return;
  check_needs_agents(document, "agent_stride", "samples");
  const std::int64_t count = total_agents(root);
  if (stride->get<std::int64_t>() > count)
    raise_at(document, "/output/agent_stride", false,
             "must be at most the number of agents, " + std::to_string(count) + " (got " +
                 show(*stride, document, "/output/agent_stride") + ")");
}

// --- governance -----------------------------------------------------------------------------

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The names of the rules in force at some step, in the order the registry builds them: the
// regime's bundle (a scenario rule of the same name takes its place), then the scenario's other
// rules in order, then governance.compliance (which spec_builder adds last) or, in a governed
// run without one, the default compliance rule the registry adds.
std::vector<std::string> rules_in_force(const Json& root) {
  std::vector<std::string> names;
  const auto governance = root.find("governance");
  if (governance == root.end()) return names;
  const ModelFacts& facts = ModelFacts::scenario();
  names = facts.regime_rules(governance->value("regime", std::string("open_access")));
  if (const auto rules = governance->find("rules"); rules != governance->end()) {
    for (const Json& rule : *rules) {
      const auto& name = rule.at("rule").get_ref<const std::string&>();
      if (!contains(names, name)) names.push_back(name);
    }
  }
  // A rule given by its governance block (governance.compliance) is in force too.
  for (const ModelFacts::Rule& rule : facts.rules()) {
    if (!rule.governance_key.empty() && governance->contains(rule.governance_key) && !contains(names, rule.name))
      names.push_back(rule.name);
  }
  // Limits need someone to weigh them: a governed run gets the rules that say so (compliance)
  // with their defaults, as the registry builds it.
  if (!names.empty()) {
    for (const ModelFacts::Rule& rule : facts.rules())
      if (rule.implied_by_governance && !contains(names, rule.name)) names.push_back(rule.name);
  }
  return names;
}

std::string or_list(const std::vector<std::string>& words) {
  std::string result;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) result += i + 1 == words.size() ? " or " : ", ";
    result += "'" + words[i] + "'";
  }
  return result;
}

// Checks of one rule that JSON Schema cannot say: what it needs from the resource, and its
// parameters measured against each other or the population.
void check_rule(const Document& document, const Json& rule, const std::string& pointer, const std::string& name,
                const std::string& resource, std::int64_t agents) {
  const bool has_msy = ModelFacts::scenario().has_maximum_sustainable_yield(resource);
  const std::string no_msy = "which resource '" + resource + "' does not have";
  if (!has_msy) {
    if ((name == "tac" || name == "individual_quota" || name == "itq") && rule.contains("fraction_of_msy")) {
      raise_at(document, pointer + "/fraction_of_msy", true,
               name + " needs the maximum sustainable yield for fraction_of_msy, " + no_msy + "; give 'total' instead");
    }
    if (name == "harvest_control_rule" && !(rule.contains("target_harvest_rate") && rule.contains("trigger_stock"))) {
      raise_at(document, pointer, true,
               "harvest_control_rule on resource '" + resource + "' needs both 'target_harvest_rate' and "
               "'trigger_stock': their defaults come from the maximum sustainable yield, which that resource does "
               "not have");
    }
    if (name == "sole_owner" && rule.value("target", std::string("mey")) == "msy") {
      raise_at(document, pointer + "/target", false,
               "target 'msy' needs the maximum sustainable yield, " + no_msy + "; use 'mey'");
    }
  }
  if (name == "closed_season") {
    const Json& period = rule.at("period");
    const Json& closed = rule.at("closed");
    for (std::size_t k = 0; k < closed.size(); ++k) {
      if (less_than(closed[k], period)) continue;
      const std::string at = child_pointer(pointer + "/closed", k);
      raise_at(document, at, false,
               "must be less than period, " + show(period, document, pointer + "/period") + " (got " +
                   show(closed[k], document, at) + ")");
    }
  }
  if (name == "individual_quota") {
    const auto shares = rule.find("shares");
    const auto split = rule.find("split");
    if (split != rule.end() && *split == "equal" && shares != rule.end()) {
      raise_at(document, pointer + "/shares", true, "shares are given but split is 'equal'; leave out one of the two");
    }
    if (split != rule.end() && *split == "shares" && shares == rule.end()) {
      raise_at(document, pointer, true, "split 'shares' needs 'shares'");
    }
    if (shares != rule.end() && shares->is_array()) {
      const std::string at = pointer + "/shares";
      if (shares->size() != 1 && shares->size() != static_cast<std::size_t>(agents)) {
        raise_at(document, at, false,
                 "must have one share per agent, " + entries(static_cast<std::size_t>(agents)) + ", or a single "
                 "share for an equal split (got " + std::to_string(shares->size()) + ")");
      }
      if (std::all_of(shares->begin(), shares->end(), [](const Json& share) { return share.get<double>() == 0.0; })) {
        raise_at(document, at, false, "the shares must not all be zero");
      }
    }
  }
}

void check_governance(const Document& document) {
  const Json& root = document.root;
  const auto governance = root.find("governance");
  if (governance == root.end()) return;
  const auto& resource = root.at("resource").at("model").get_ref<const std::string&>();
  const auto steps = root.at("steps").get<std::int64_t>();
  const std::int64_t agents = total_agents(root);
  // Where each rule is first given, for duplicates.
  std::unordered_map<std::string, std::string> given;
  for (const ModelFacts::Rule& rule : ModelFacts::scenario().rules()) {
    if (rule.governance_key.empty()) continue;
    if (const auto block = governance->find(rule.governance_key); block != governance->end()) {
      given.emplace(rule.name, "governance." + rule.governance_key);
      check_distributions(document, *block, "/governance/" + rule.governance_key);
    }
  }
  const auto rules = governance->find("rules");
  if (rules == governance->end()) return;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const Json& rule = (*rules)[i];
    const std::string pointer = child_pointer("/governance/rules", i);
    const auto& name = rule.at("rule").get_ref<const std::string&>();
    if (const auto [first, inserted] = given.emplace(name, "rules item " + std::to_string(i)); !inserted) {
      raise_at(document, pointer + "/rule", false,
               "duplicate rule '" + name + "'; " + first->second + " already gives it");
    }
    const Json from = rule.value("from", Json(0));
    if (from.get<double>() >= static_cast<double>(steps)) {
      raise_at(document, pointer + "/from", false,
               "must be less than steps, " + std::to_string(steps) + " (got " +
                   show(from, document, pointer + "/from") + ")");
    }
    if (const auto until = rule.find("until"); until != rule.end() && !less_than(from, *until)) {
      raise_at(document, pointer + "/until", false,
               "must be greater than from, " + show(from, document, pointer + "/from") + " (got " +
                   show(*until, document, pointer + "/until") + ")");
    }
    check_rule(document, rule, pointer, name, resource, agents);
    for (const auto& [key, member] : rule.items()) check_distributions(document, member, child_pointer(pointer, key));
  }
}

void check_series(const Document& document) {
  const Json& root = document.root;
  const auto output = root.find("output");
  if (output == root.end() || !output->contains("series")) return;
  const Json& series = output->at("series");
  const auto& model = root.at("resource").at("model").get_ref<const std::string&>();
  const ModelFacts& facts = ModelFacts::scenario();
  const auto& own = facts.resource_series(model);
  const auto in_force = rules_in_force(root);
  for (std::size_t k = 0; k < series.size(); ++k) {
    const auto& name = series[k].get_ref<const std::string&>();
    const std::string pointer = child_pointer("/output/series", k);
    std::vector<std::string> offering;
    for (const ModelFacts::Rule& rule : facts.rules()) {
      if (contains(rule.records, name)) offering.push_back(rule.name);
    }
    if (contains(facts.talk_series(), name)) {
      if (!talks(root)) {
        raise_at(document, pointer, false,
                 "series '" + name + "' is recorded only with communication; set communication.mode to one_shot "
                 "or repeated");
      }
    } else if (contains(facts.trip_series(), name)) {
      if (!facts.charges_trips(model)) {
        raise_at(document, pointer, false,
                 "series '" + name + "' is recorded only for resources that charge for trips to their sites (" +
                     or_list(facts.resources_charging_trips()) + "); resource '" + model + "' does not");
      }
    } else if (contains(facts.governance_series(), name)) {
      if (in_force.empty()) {
        raise_at(document, pointer, false,
                 "series '" + name + "' is recorded only in governed runs; choose a governance.regime other than "
                 "open_access or add governance rules");
      }
    } else if (!offering.empty()) {
      if (std::none_of(offering.begin(), offering.end(), [&](const std::string& rule) { return contains(in_force, rule); })) {
        raise_at(document, pointer, false,
                 "series '" + name + "' is recorded only when " +
                     (offering.size() == 1 ? "rule " : "one of the rules ") + or_list(offering) +
                     " is in force (in the regime's bundle or governance.rules)");
      }
    } else if (!contains(facts.engine_series(), name) && !contains(own, name)) {
      raise_at(document, pointer, false,
               "series '" + name + "' is not recorded for resource '" + model + "'; its own series are " + join(own));
    }
  }
}

// The series recorded by default: the resource's, the engine's, with communication the talk's,
// and in a governed run the governance series and the variables of the rules in force.
Json default_series(const Json& root) {
  Json series = Json::array();
  const ModelFacts& facts = ModelFacts::scenario();
  std::vector<std::string> names = facts.resource_series(root.at("resource").at("model").get<std::string>());
  names.insert(names.end(), facts.engine_series().begin(), facts.engine_series().end());
  if (facts.charges_trips(root.at("resource").at("model").get<std::string>()))
    names.insert(names.end(), facts.trip_series().begin(), facts.trip_series().end());
  if (talks(root)) names.insert(names.end(), facts.talk_series().begin(), facts.talk_series().end());
  const auto in_force = rules_in_force(root);
  if (!in_force.empty())
    names.insert(names.end(), facts.governance_series().begin(), facts.governance_series().end());
  for (const auto& rule : in_force) {
    // Two rules may record a variable of the same name (tac); list it once.
    for (const auto& variable : facts.rule_series(rule)) {
      if (!contains(names, variable)) names.push_back(variable);
    }
  }
  for (const auto& name : names) series.push_back(name);
  return series;
}

}  // namespace

void check_rules(const Document& document) {
  const Json& root = document.root;
  const bool bounded = ModelFacts::scenario().has_effort_limit(root.at("resource").at("model").get<std::string>());
  const Json& groups = root.at("agents");
  std::unordered_map<std::string, std::size_t> names;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Json& group = groups[i];
    const std::string group_pointer = child_pointer("/agents", i);
    const auto& name = group.at("group").get_ref<const std::string&>();
    if (const auto [first, inserted] = names.emplace(name, i); !inserted) {
      raise(document, document.locate(group_pointer + "/group", false), group_pointer + "/group",
            "duplicate group name '" + printable(name) + "'; group " + std::to_string(first->second) +
                " already has it");
    }
    if (const auto mix = group.find("mix"); mix != group.end()) {
      double total = 0.0;
      for (const Json& entry : *mix) total += entry.at("share").get<double>();
      if (std::abs(total - 1.0) > share_sum_tolerance) {
        const std::string pointer = group_pointer + "/mix";
        raise(document, document.locate(pointer, true), pointer,
              "the shares must sum to 1 (got " + shares_text(total) + ")");
      }
    }
    for (const auto& [pointer, behaviour] : behaviours_of(group, group_pointer)) {
      check_behaviour(document, *behaviour, pointer, bounded);
    }
  }
  check_network(document, total_agents(root));
  check_communication(document);
  check_interval(document, "site_interval");
  check_interval(document, "agent_interval");
  check_needs_agents(document, "agent_interval", "thins");
  check_agent_stride(document);
  check_governance(document);
  check_series(document);
}

void fill_defaults(Document& document) {
  const Schema& schema = Schema::scenario();
  // Recursion depth is bounded by the document's nesting limit.
  const auto fill = [&schema](auto& self, Json& value, std::span<const Json* const> reached) -> void {
    const auto schemas = schema.applicable(reached, value);
    if (value.is_object()) {
      for (const Json* sub : schemas) {
        const auto properties = sub->find("properties");
        if (properties == sub->end()) continue;
        for (const auto& [key, property] : properties->items()) {
          const Json& resolved = schema.resolve(property);
          if (value.contains(key) || !resolved.is_object()) continue;
          if (const auto fallback = resolved.find("default"); fallback != resolved.end()) value[key] = *fallback;
          // A default no JSON Schema default can say: another key's value (the initial stock
          // is the carrying capacity), marked by the model's descriptor.
          if (const auto source = resolved.find("x-default-from"); source != resolved.end()) {
            if (const auto given = value.find(source->get<std::string>()); given != value.end()) value[key] = *given;
          }
        }
      }
      for (auto& [key, member] : value.items()) self(self, member, schema.property(schemas, key));
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) self(self, value[i], schema.items(schemas, i));
    }
  };
  const Json* const start = &schema.root();
  fill(fill, document.root, std::span(&start, 1));
  // The default series depend on the resource and on communication; series come first in output.
  Json& output = document.root["output"];
  if (!output.contains("series")) {
    Json ordered = Json::object();
    ordered["series"] = default_series(document.root);
    for (auto& [key, member] : output.items()) ordered[key] = std::move(member);
    output = std::move(ordered);
  }
}

}  // namespace commons::scenario::detail
