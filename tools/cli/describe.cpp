// SPDX-License-Identifier: Apache-2.0
#include "describe.hpp"

#include <commons/scenario/loader.hpp>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>
#include <optional>
#include <string_view>
#include <vector>

namespace commons::cli {
namespace {

using sim::ModelDescriptor;
using sim::ModelKind;
using sim::ParameterInfo;
using sim::ParameterType;

constexpr ModelKind all_kinds[] = {ModelKind::resource, ModelKind::behaviour, ModelKind::rule};

// Up to the first full stop that ends a sentence, not an abbreviation ("Karandikar et al. 1998").
std::string first_sentence(const std::string& text) {
  for (std::size_t end = text.find(". "); end != std::string::npos; end = text.find(". ", end + 1)) {
    const std::size_t word = text.rfind(' ', end);
    const std::string last = text.substr(word == std::string::npos ? 0 : word + 1, end - (word == std::string::npos ? 0 : word + 1));
    if (last == "al" || last == "e.g" || last == "i.e" || last == "cf" || last == "vs") continue;
    return text.substr(0, end + 1);
  }
  return text;
}

std::string number_text(double value) {
  std::ostringstream out;
  out.precision(15);
  out << value;
  return out.str();
}

std::string type_text(const ParameterInfo& parameter) {
  switch (parameter.type) {
    case ParameterType::number: return "number";
    case ParameterType::integer: return "integer";
    case ParameterType::boolean: return "true/false";
    case ParameterType::choice: return "one of";
    case ParameterType::text: return "text";
    case ParameterType::numbers: return "list of numbers";
    case ParameterType::integers: return "list of integers";
    case ParameterType::per_agent_number: return "number or distribution, per agent";
    case ParameterType::custom: return "block";
  }
  return "";
}

std::string range_text(const ParameterInfo& parameter) {
  if (parameter.type == ParameterType::choice) {
    std::string text;
    for (const std::string& choice : parameter.choices) text += (text.empty() ? "" : ", ") + choice;
    return text;
  }
  if (!parameter.minimum && !parameter.maximum) return "";
  std::string text;
  if (parameter.minimum) text += (parameter.minimum->exclusive ? "(" : "[") + number_text(parameter.minimum->value);
  else text += "(-inf";
  text += ", ";
  if (parameter.maximum) text += number_text(parameter.maximum->value) + (parameter.maximum->exclusive ? ")" : "]");
  else text += "inf)";
  return text;
}

std::string default_text(const ParameterInfo& parameter) {
  if (parameter.required) return "required";
  if (!parameter.default_from.empty()) return "= " + parameter.default_from;
  if (!parameter.default_value) return "-";
  return std::visit(
      [](const auto& held) -> std::string {
        using T = std::decay_t<decltype(held)>;
        if constexpr (std::is_same_v<T, double>) return number_text(held);
        else if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(held);
        else if constexpr (std::is_same_v<T, bool>) return held ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) return held;
        else {
          std::string text;
          for (double value : held) text += (text.empty() ? "[" : ", ") + number_text(value);
          return text + "]";
        }
      },
      *parameter.default_value);
}

// Text wrapped at `width` columns, every line after the first indented by `indent`.
std::string wrapped(const std::string& text, std::size_t indent, std::size_t width = 100) {
  std::istringstream words(text);
  std::string word;
  std::string out;
  std::size_t column = indent;
  bool first = true;
  while (words >> word) {
    if (!first && column + 1 + word.size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      first = true;
    }
    if (!first) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    first = false;
  }
  return out;
}

void describe_model(const ModelDescriptor& model, std::ostream& out) {
  out << model.name << " (" << sim::model_kind_name(model.kind) << ")\n  " << wrapped(model.summary, 2) << "\n";
  if (!model.parameters.empty()) {
    out << "\nParameters:\n";
    for (const ParameterInfo& parameter : model.parameters) {
      out << "  " << parameter.name << "  " << type_text(parameter);
      if (const std::string range = range_text(parameter); !range.empty()) out << " " << range;
      if (!parameter.unit.empty()) out << " [" << parameter.unit << "]";
      out << ", " << (parameter.required ? "required" : "default " + default_text(parameter)) << "\n";
      std::string meaning = parameter.meaning;
      if (!parameter.note.empty()) meaning += "; " + parameter.note;
      out << "      " << wrapped(meaning + ".", 6) << "\n";
    }
    for (const std::vector<std::string>& group : model.exactly_one_of) {
      std::string names;
      for (const std::string& name : group) names += (names.empty() ? "" : ", ") + name;
      out << "  Give exactly one of: " << names << ".\n";
    }
  }
  if (!model.variables.empty()) {
    out << "\nRecords, per step:\n";
    for (const sim::VariableInfo& variable : model.variables) {
      out << "  " << variable.name << " [" << variable.units << "]" << (variable.governance_cost ? ", a governance cost" : "")
          << "\n      " << wrapped(variable.description, 6) << "\n";
    }
  }
  std::vector<std::string> can;
  if (model.capabilities.maximum_sustainable_yield) can.emplace_back("a closed-form maximum sustainable yield");
  if (model.capabilities.effort_limit) can.emplace_back("a limit on each agent's effort per step");
  if (!can.empty()) {
    out << "\nHas:";
    for (const std::string& item : can) out << "\n  " << item;
    out << "\n";
  }
  if (model.kind == ModelKind::rule) {
    out << "\nActs in:";
    for (sim::Phase phase : model.order.phases) {
      out << " " << sim::phase_name(phase);
      if (std::find(model.order.last_in.begin(), model.order.last_in.end(), phase) != model.order.last_in.end())
        out << " (after every other rule)";
    }
    out << "\n";
    if (model.order.implied_by_governance) out << "Every governed run has it, with its defaults, unless it lists it.\n";
    if (!model.governance_key.empty()) out << "Also given as governance." << model.governance_key << ".\n";
    if (!model.design_principles.empty()) {
      out << "Ostrom's design principles:";
      for (int principle : model.design_principles) out << " " << principle;
      out << "\n";
    }
  }
}

}  // namespace

ExitCode describe_command(const sim::Registry& registry, const std::string& model, bool schema, std::ostream& out) {
  if (schema) {
    out << scenario::scenario_schema_text();
    return ExitCode::success;
  }
  if (model.empty()) {
    constexpr const char* headings[] = {"Resources", "Behaviours", "Rules"};
    for (ModelKind kind : all_kinds) {
      out << headings[static_cast<int>(kind)] << ":\n";
      for (const ModelDescriptor* descriptor : registry.descriptors(kind))
        out << "  " << descriptor->name << "\n      " << wrapped(first_sentence(descriptor->summary), 6) << "\n";
      out << "\n";
    }
    out << "Regimes (governance.regime):\n";
    for (const std::string& name : registry.regime_names()) {
      const sim::Registry::Regime& regime = *registry.regime(name);
      std::string rules;
      for (const sim::ComponentSpec& rule : regime.rules) rules += (rules.empty() ? "" : ", ") + rule.model;
      out << "  " << name << "\n      " << wrapped(regime.summary + (rules.empty() ? "" : ": " + rules), 6) << "\n";
    }
    out << "\n`commons describe NAME` shows a model's parameters and what it records.\n";
    return ExitCode::success;
  }
  bool found = false;
  for (ModelKind kind : all_kinds) {
    if (const ModelDescriptor* descriptor = registry.descriptor(kind, model)) {
      if (found) out << "\n";
      describe_model(*descriptor, out);
      found = true;
    }
  }
  if (const sim::Registry::Regime* regime = registry.regime(model)) {
    if (found) out << "\n";
    out << regime->name << " (regime)\n  " << wrapped(regime->summary, 2) << "\n\nRules, in order:\n";
    for (const sim::ComponentSpec& rule : regime->rules) {
      out << "  " << rule.model;
      std::string values;
      for (const auto& [name, value] : rule.parameters.values()) {
        std::string shown = "...";
        if (const double* number = std::get_if<double>(&value)) shown = number_text(*number);
        else if (const std::int64_t* integer = std::get_if<std::int64_t>(&value)) shown = std::to_string(*integer);
        else if (const std::string* text = std::get_if<std::string>(&value)) shown = *text;
        values += (values.empty() ? "" : ", ") + name + ": " + shown;
      }
      out << (values.empty() ? "" : " (" + values + ")") << "\n";
    }
    found = true;
  }
  if (found) return ExitCode::success;
  std::vector<std::string> names = registry.regime_names();
  for (ModelKind kind : all_kinds)
    for (const ModelDescriptor* descriptor : registry.descriptors(kind)) names.push_back(descriptor->name);
  const std::optional<std::string> best = scenario::likely_meant(model, names);
  std::cerr << "commons describe: no model or regime named '" << model << "'"
            << (best ? "; did you mean '" + *best + "'?" : std::string()) << " (`commons describe` lists them)\n";
  return ExitCode::usage_error;
}

}  // namespace commons::cli
