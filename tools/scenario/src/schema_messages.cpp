// SPDX-License-Identifier: Apache-2.0
#include "schema_messages.hpp"

#include "schema.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <regex>
#include <span>
#include <tuple>
#include <unordered_set>

namespace commons::scenario::detail {
namespace {

// Strings under a `pattern` without a `maxLength` get this bound before std::regex sees them:
// libstdc++'s regex recurses once per character and overflows the stack on long text.
constexpr std::size_t default_pattern_length_limit = 1000;

/// A problem found at a node, ready to be located and raised.
struct Problem {
  std::string pointer;
  /// Point at the key naming the node rather than its value.
  bool at_key = false;
  std::string message;
};

[[noreturn]] void raise_problem(const Document& document, const Problem& problem) {
  raise(document, document.locate(problem.pointer, problem.at_key), problem.pointer, problem.message);
}

std::size_t character_count(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const auto guess = nearest(word, candidates);
  return guess ? "; did you mean '" + *guess + "'?" : "";
}

std::string article_type(std::string_view type) {
  if (type == "integer") return "an integer";
  if (type == "number") return "a number";
  if (type == "string") return "a string";
  if (type == "boolean") return "true or false";
  if (type == "object") return "a mapping";
  if (type == "array") return "a list";
  if (type == "null") return "nothing";
  return std::string(type);
}

// What was found, for "expected X, got Y": text names its type, other scalars speak for themselves.
std::string show_found(const Json& value, const Document& document, const std::string& pointer) {
  if (value.is_string()) return "string " + show(value, document, pointer);
  return show(value, document, pointer);
}

std::string show_literal(const Json& value) {
  return value.is_string() ? printable(value.get_ref<const std::string&>()) : value.dump();
}

bool equal_numbers(const Json& a, const Json& b) { return !less_than(a, b) && !less_than(b, a); }

// YAML 1.2 spells not-a-number and infinity .nan and .inf; the strict profile keeps them as text,
// and no quantity in a scenario may take them.
bool non_finite_number(std::string_view text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  return text == ".nan" || text == ".NaN" || text == ".NAN" || text == ".inf" || text == ".Inf" || text == ".INF";
}

std::optional<std::string> type_problem(const Json& schema, const Json& value, const Document& document,
                                        const std::string& pointer) {
  const auto types = allowed_types(schema);
  if (types.empty() ||
      std::any_of(types.begin(), types.end(), [&](const std::string& type) { return value_has_type(value, type); })) {
    return std::nullopt;
  }
  std::string expected;
  for (std::size_t i = 0; i < types.size(); ++i) {
    if (i > 0) expected += i + 1 == types.size() ? " or " : ", ";
    expected += article_type(types[i]);
  }
  const bool numeric = std::any_of(types.begin(), types.end(),
                                   [](const std::string& type) { return type == "number" || type == "integer"; });
  if (numeric && value.is_string() && non_finite_number(value.get_ref<const std::string&>())) {
    return "expected " + expected + ", got " + printable(value.get_ref<const std::string&>()) +
           ", which is not finite: every quantity in a scenario is a finite number";
  }
  return "expected " + expected + ", got " + show_found(value, document, pointer);
}

std::optional<std::string> value_problem(const Json& schema, const Json& value, const Document& document,
                                         const std::string& pointer) {
  if (const auto values = schema.find("enum"); values != schema.end() && values->is_array()) {
    if (std::find(values->begin(), values->end(), value) != values->end()) return std::nullopt;
    std::vector<std::string> allowed;
    for (const Json& candidate : *values) allowed.push_back(show_literal(candidate));
    if (value.is_string()) {
      const auto& text = value.get_ref<const std::string&>();
      return "unknown value '" + printable(text) + "'; allowed values: " + join(allowed) + did_you_mean(text, allowed);
    }
    return "unknown value " + show(value, document, pointer) + "; allowed values: " + join(allowed);
  }
  if (const auto constant = schema.find("const"); constant != schema.end() && *constant != value) {
    return "must be '" + show_literal(*constant) + "' (got " + show(value, document, pointer) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> length_problem(const Json& schema, std::string_view text) {
  const std::size_t length = character_count(text);
  const auto maximum = schema.find("maxLength");
  std::size_t limit = std::string::npos;
  if (maximum != schema.end() && maximum->is_number_unsigned()) {
    limit = maximum->get<std::size_t>();
  } else if (schema.contains("pattern")) {
    limit = default_pattern_length_limit;
  }
  if (length > limit) {
    return "must be at most " + std::to_string(limit) + " characters long (got " + std::to_string(length) + ")";
  }
  if (const auto minimum = schema.find("minLength");
      minimum != schema.end() && minimum->is_number_unsigned() && length < minimum->get<std::size_t>()) {
    return minimum->get<std::size_t>() == 1 ? std::string("must not be empty")
                                            : "must be at least " + std::to_string(minimum->get<std::size_t>()) +
                                                  " characters long (got " + std::to_string(length) + ")";
  }
  return std::nullopt;
}

std::optional<std::string> string_problem(const Json& schema, const Json& value) {
  if (!value.is_string()) return std::nullopt;
  const auto& text = value.get_ref<const std::string&>();
  if (auto problem = length_problem(schema, text)) return problem;
  if (const auto pattern = schema.find("pattern"); pattern != schema.end() && pattern->is_string()) {
    // Only the scenario's own patterns reach here, on text already bounded by length_problem.
    const auto& expression = pattern->get_ref<const std::string&>();
    if (!std::regex_search(text, std::regex(expression, std::regex::ECMAScript))) {
      return "must match " + expression + " (got \"" + printable(text) + "\")";
    }
  }
  return std::nullopt;
}

std::optional<std::string> range_problem(const Json& schema, const Json& value, const Document& document,
                                         const std::string& pointer) {
  if (!value.is_number()) return std::nullopt;
  const Json* low = nullptr;
  const Json* high = nullptr;
  bool low_open = false;
  bool high_open = false;
  if (const auto it = schema.find("minimum"); it != schema.end() && it->is_number()) low = &*it;
  if (const auto it = schema.find("exclusiveMinimum"); it != schema.end() && it->is_number()) {
    low = &*it;
    low_open = true;
  }
  if (const auto it = schema.find("maximum"); it != schema.end() && it->is_number()) high = &*it;
  if (const auto it = schema.find("exclusiveMaximum"); it != schema.end() && it->is_number()) {
    high = &*it;
    high_open = true;
  }
  const bool too_low = low != nullptr && (less_than(value, *low) || (low_open && equal_numbers(value, *low)));
  const bool too_high = high != nullptr && (less_than(*high, value) || (high_open && equal_numbers(value, *high)));
  if (!too_low && !too_high) return std::nullopt;
  std::string rule;
  if (low != nullptr && high != nullptr) {
    rule = std::string("in ") + (low_open ? "(" : "[") + low->dump() + ", " + high->dump() + (high_open ? ")" : "]");
  } else if (low != nullptr) {
    rule = (low_open ? "> " : ">= ") + low->dump();
  } else {
    rule = (high_open ? "< " : "<= ") + high->dump();
  }
  return "must be " + rule + " (got " + show(value, document, pointer) + ")";
}

std::optional<std::string> multiple_problem(const Json& schema, const Json& value, const Document& document,
                                            const std::string& pointer) {
  const auto factor = schema.find("multipleOf");
  if (!value.is_number() || factor == schema.end() || !factor->is_number()) return std::nullopt;
  const double ratio = value.get<double>() / factor->get<double>();
  if (std::trunc(ratio) == ratio) return std::nullopt;
  if (*factor == 2) return "must be even (got " + show(value, document, pointer) + ")";
  return "must be a multiple of " + factor->dump() + " (got " + show(value, document, pointer) + ")";
}


std::optional<Problem> array_problem(const Json& schema, const Json& value, const std::string& pointer) {
  if (!value.is_array()) return std::nullopt;
  if (const auto it = schema.find("maxItems");
      it != schema.end() && it->is_number_unsigned() && value.size() > it->get<std::size_t>()) {
    return Problem{pointer, false,
                   "must have at most " + entries(it->get<std::size_t>()) + " (got " + std::to_string(value.size()) + ")"};
  }
  if (const auto it = schema.find("minItems");
      it != schema.end() && it->is_number_unsigned() && value.size() < it->get<std::size_t>()) {
    return Problem{pointer, false,
                   "must have at least " + entries(it->get<std::size_t>()) + " (got " + std::to_string(value.size()) + ")"};
  }
  if (const auto it = schema.find("uniqueItems"); it != schema.end() && it->is_boolean() && it->get<bool>()) {
    // Hash the canonical text so that long lists cost linear time (valijson compares pairs).
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (!seen.insert(value[i].dump()).second) {
        return Problem{child_pointer(pointer, i), false,
                       "duplicate entry '" + show_literal(value[i]) + "'; each value may appear only once"};
      }
    }
  }
  return std::nullopt;
}

std::vector<std::string> property_names(const Json& schema) {
  std::vector<std::string> names;
  if (const auto properties = schema.find("properties"); properties != schema.end() && properties->is_object()) {
    for (const auto& [name, sub] : properties->items()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<Problem> object_problem(std::span<const Json* const> schemas, const Json& value,
                                      const std::string& pointer) {
  if (!value.is_object()) return std::nullopt;
  for (const Json* schema : schemas) {
    const auto additional = schema->find("additionalProperties");
    if (additional == schema->end() || !additional->is_boolean() || additional->get<bool>()) continue;
    const auto allowed = property_names(*schema);
    for (const auto& [key, member] : value.items()) {
      if (std::binary_search(allowed.begin(), allowed.end(), key)) continue;
      return Problem{child_pointer(pointer, key), true,
                     "unknown key '" + printable(key) + "'; allowed keys: " + join(allowed) + did_you_mean(key, allowed)};
    }
  }
  for (const Json* schema : schemas) {
    const auto required = schema->find("required");
    if (required == schema->end() || !required->is_array()) continue;
    for (const Json& key : *required) {
      if (key.is_string() && !value.contains(key.get_ref<const std::string&>())) {
        return Problem{pointer, true, "missing required key '" + key.get<std::string>() + "'"};
      }
    }
  }
  for (const Json* schema : schemas) {
    const auto low = schema->find("minProperties");
    const auto high = schema->find("maxProperties");
    const bool too_few = low != schema->end() && low->is_number_unsigned() && value.size() < low->get<std::size_t>();
    const bool too_many = high != schema->end() && high->is_number_unsigned() && value.size() > high->get<std::size_t>();
    if (!too_few && !too_many) continue;
    std::vector<std::string> given;
    for (const auto& [key, member] : value.items()) given.push_back(key);
    const std::string got = given.empty() ? "got none" : "got " + std::to_string(given.size()) + ": " + join(given);
    if (low != schema->end() && high != schema->end() && *low == 1 && *high == 1) {
      return Problem{pointer, false, "must have exactly one key, one of " + join(property_names(*schema)) + " (" + got + ")"};
    }
    const Json& bound = too_few ? *low : *high;
    return Problem{pointer, false,
                   std::string(too_few ? "must have at least " : "must have at most ") + bound.dump() +
                       (bound == 1 ? " key" : " keys") + " (" + got + ")"};
  }
  // oneOf over single required keys: exactly one of these keys (a group's behaviour or mix).
  for (const Json* schema : schemas) {
    const auto choices = schema->find("oneOf");
    if (choices == schema->end() || !choices->is_array()) continue;
    std::vector<std::string> keys;
    std::size_t present = 0;
    for (const Json& choice : *choices) {
      const auto required = choice.find("required");
      if (!choice.is_object() || choice.size() != 1 || required == choice.end() || !required->is_array() ||
          required->size() != 1 || !(*required)[0].is_string()) {
        keys.clear();
        break;
      }
      keys.push_back((*required)[0].get<std::string>());
      if (value.contains(keys.back())) ++present;
    }
    if (keys.empty() || present == 1) continue;
    std::string listed;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) listed += i + 1 == keys.size() ? " or " : ", ";
      listed += "'" + keys[i] + "'";
    }
    const std::string given = present == 0 ? "neither is given"
                              : present == keys.size() && keys.size() == 2 ? "both are given"
                                                                            : std::to_string(present) + " are given";
    return Problem{pointer, true, "give exactly one of " + listed + "; " + given};
  }
  return std::nullopt;
}

// Why the node at `pointer` fails its schemas: the first problem in the order a reader
// would fix them (shape before content, unknown keys before missing ones).
std::optional<Problem> explain(const Document& document, const std::string& pointer) {
  const Schema& schema = Schema::scenario();
  const Json& value = document.root.at(Json::json_pointer(pointer));
  const auto schemas = schema.at(document.root, pointer);
  for (const Json* sub : schemas) {
    if (auto message = type_problem(*sub, value, document, pointer)) return Problem{pointer, false, *message};
  }
  for (const Json* sub : schemas) {
    if (auto message = value_problem(*sub, value, document, pointer)) return Problem{pointer, false, *message};
  }
  for (const Json* sub : schemas) {
    if (auto message = string_problem(*sub, value)) return Problem{pointer, false, *message};
    if (auto message = range_problem(*sub, value, document, pointer)) return Problem{pointer, false, *message};
    if (auto message = multiple_problem(*sub, value, document, pointer)) return Problem{pointer, false, *message};
    if (auto problem = array_problem(*sub, value, pointer)) return problem;
  }
  return object_problem(schemas, value, pointer);
}

// --- prepare -------------------------------------------------------------------------------

bool accepts_type(std::span<const Json* const> schemas, const Json& value) {
  return std::any_of(schemas.begin(), schemas.end(), [&](const Json* schema) {
    const auto types = allowed_types(*schema);
    return std::any_of(types.begin(), types.end(), [&](const std::string& type) { return value_has_type(value, type); });
  });
}

bool wants_type(std::span<const Json* const> schemas, std::string_view wanted) {
  return std::any_of(schemas.begin(), schemas.end(), [&](const Json* schema) {
    const auto types = allowed_types(*schema);
    if (std::find(types.begin(), types.end(), wanted) != types.end()) return true;
    // An untyped const or enum of text (a model name) wants text too.
    if (wanted != "string" || !types.empty()) return false;
    if (const auto constant = schema->find("const"); constant != schema->end()) return constant->is_string();
    if (const auto values = schema->find("enum"); values != schema->end() && values->is_array() && !values->empty()) {
      return (*values)[0].is_string();
    }
    return false;
  });
}

void coerce_scalar(Json& value, const std::string& pointer, std::span<const Json* const> schemas,
                   const Document& document) {
  if (schemas.empty() || accepts_type(schemas, value)) return;
  if ((value.is_number() || value.is_boolean()) && wants_type(schemas, "string")) {
    if (const auto it = document.nodes.find(pointer); it != document.nodes.end() && it->second.plain_text) {
      value = *it->second.plain_text;
    }
    return;
  }
  if (value.is_number_float() && wants_type(schemas, "integer")) {
    // Draft-07 counts 2.0 as an integer; keep it one for the spec too.
    const double real = value.get<double>();
    constexpr double limit = 9223372036854775808.0;  // 2^63
    if (std::trunc(real) == real && real > -limit && real < limit) value = static_cast<std::int64_t>(real);
  }
}

void prepare_node(Document& document, Json& value, const std::string& pointer, std::span<const Json* const> reached) {
  const Schema& schema = Schema::scenario();
  if (value.is_object()) {
    // The model name chooses the parameter schemas, so type the direct members first and
    // only then decide which if/then branches apply.
    const auto base = schema.applicable(reached, value);
    for (auto& [key, member] : value.items()) {
      if (!member.is_structured()) coerce_scalar(member, child_pointer(pointer, key), schema.property(base, key), document);
    }
    const auto schemas = schema.applicable(reached, value);
    for (auto& [key, member] : value.items()) {
      const auto member_pointer = child_pointer(pointer, key);
      prepare_node(document, member, member_pointer, schema.property(schemas, key));
    }
    return;
  }
  const auto schemas = schema.applicable(reached, value);
  if (value.is_array()) {
    for (const Json* sub : schemas) {
      if (sub->contains("uniqueItems")) {
        if (auto problem = array_problem(*sub, value, pointer)) raise_problem(document, *problem);
      }
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      prepare_node(document, value[i], child_pointer(pointer, i), schema.items(schemas, i));
    }
    return;
  }
  coerce_scalar(value, pointer, schemas, document);
  if (value.is_string()) {
    for (const Json* sub : schemas) {
      if (!sub->contains("pattern")) continue;
      if (auto message = length_problem(*sub, value.get_ref<const std::string&>())) {
        raise_problem(document, Problem{pointer, false, *message});
      }
    }
  }
}

// --- validate ------------------------------------------------------------------------------

// valijson names nodes as "<root>", "[key]", "[index]"; the document tells which is which.
std::string pointer_of(const Json& root, const std::vector<std::string>& context) {
  std::string pointer;
  const Json* node = &root;
  for (const auto& part : context) {
    if (part.size() < 2 || part.front() != '[' || part.back() != ']') continue;
    const std::string token = part.substr(1, part.size() - 2);
    if (node != nullptr && node->is_array()) {
      std::size_t index = 0;
      const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (error == std::errc{} && end == token.data() + token.size() && index < node->size()) {
        node = &(*node)[index];
        pointer = child_pointer(pointer, index);
        continue;
      }
    }
    if (node != nullptr && node->is_object()) {
      const auto member = node->find(token);
      node = member == node->end() ? nullptr : &*member;
    } else {
      node = nullptr;
    }
    pointer = child_pointer(pointer, token);
    if (node == nullptr) break;
  }
  return pointer;
}

std::size_t depth_of(std::string_view pointer) { return static_cast<std::size_t>(std::count(pointer.begin(), pointer.end(), '/')); }

// --- did you mean --------------------------------------------------------------------------

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return result;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

// The value as a message shows it: numbers and booleans as written.
std::string show(const Json& value, const Document& document, const std::string& pointer) {
  if (value.is_number() || value.is_boolean()) {
    if (const auto it = document.nodes.find(pointer); it != document.nodes.end() && it->second.plain_text) {
      return printable(*it->second.plain_text);
    }
    return value.dump();
  }
  if (value.is_string()) return "\"" + printable(value.get_ref<const std::string&>()) + "\"";
  if (value.is_null()) return "null";
  if (value.is_array()) return "a list";
  return "a mapping";
}


std::string join(const std::vector<std::string>& words) {
  std::string result;
  for (const auto& word : words) {
    if (!result.empty()) result += ", ";
    result += printable(word);
  }
  return result;
}

bool less_than(const Json& a, const Json& b) {
  if (a.is_number_integer() && b.is_number_integer()) return a.get<std::int64_t>() < b.get<std::int64_t>();
  return a.get<double>() < b.get<double>();
}

std::string entries(std::size_t count) { return std::to_string(count) + (count == 1 ? " entry" : " entries"); }

std::optional<std::string> own_problem(const Json& schema, const Json& value, const Document& document,
                                       const std::string& pointer) {
  if (auto message = type_problem(schema, value, document, pointer)) return message;
  if (auto message = value_problem(schema, value, document, pointer)) return message;
  if (auto message = string_problem(schema, value)) return message;
  if (auto message = range_problem(schema, value, document, pointer)) return message;
  if (auto message = multiple_problem(schema, value, document, pointer)) return message;
  if (auto problem = array_problem(schema, value, pointer)) return problem->message;
  return std::nullopt;
}

std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates) {
  // Typos are short edits of short words; comparing long text would only waste time.
  constexpr std::size_t longest_word = 64;
  if (word.empty() || word.size() > longest_word) return std::nullopt;
  const std::string needle = lower(word);
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(needle, lower(candidate));
    // About one edit in three characters, at most three: "growth_rat" -> "growth_rate", but
    // "seed" is not a typo of "steps".
    const std::size_t allowed = std::clamp<std::size_t>(std::max(word.size(), candidate.size()) / 3, 1, 3);
    if (distance <= allowed && (!best || distance < best_distance)) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

void prepare(Document& document) {
  const Json* const start = &Schema::scenario().root();
  prepare_node(document, document.root, "", std::span(&start, 1));
}

void validate(const Document& document) {
  const std::shared_ptr<const valijson::Schema> schema = Schema::scenario().compiled_for(document.root);
  const nlohmann::json plain = to_plain(document.root);
  valijson::Validator validator;
  valijson::ValidationResults results;
  const valijson::adapters::NlohmannJsonAdapter adapter(plain);
  if (validator.validate(*schema, adapter, &results)) return;

  // The deepest error is the most specific one; among equally deep ones, the first in the file.
  std::optional<std::string> chosen;
  std::tuple<std::size_t, std::size_t, std::int64_t, std::int64_t> chosen_rank{};
  std::string description;
  for (const auto& error : results) {
    std::string pointer = pointer_of(document.root, error.context);
    const Location where = document.locate(pointer, false);
    // Deeper first (hence the negated depth), then by position.
    const auto rank = std::make_tuple(std::numeric_limits<std::size_t>::max() - depth_of(pointer), where.source,
                                      where.line, where.column);
    if (!chosen || rank < chosen_rank) {
      chosen = std::move(pointer);
      chosen_rank = rank;
      description = error.description;
    }
  }
  if (!chosen) chosen = "";
  std::optional<Problem> problem;
  if (document.root.contains(Json::json_pointer(*chosen))) problem = explain(document, *chosen);
  raise_problem(document, problem.value_or(Problem{*chosen, false, description}));
}

}  // namespace commons::scenario::detail
