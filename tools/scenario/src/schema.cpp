// SPDX-License-Identifier: Apache-2.0
#include "schema.hpp"

#include <commons/scenario/loader.hpp>

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <stdexcept>
#include <unordered_set>

namespace commons::scenario::detail {
namespace {

// The schema is ours and shallow; deeper chains of $ref or if/then mean a broken schema.
constexpr int max_schema_hops = 32;

bool has_type(const Json& value, std::string_view type) {
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "null") return value.is_null();
  return false;
}

// The text that `if` requires `key`, one of its required keys, to hold; none when it asks
// something else.
const std::string* required_text(const Json& condition) {
  const auto required = condition.find("required");
  const auto properties = condition.find("properties");
  if (required == condition.end() || !required->is_array() || properties == condition.end() ||
      !properties->is_object()) {
    return nullptr;
  }
  for (const Json& key : *required) {
    if (!key.is_string()) continue;
    const auto property = properties->find(key.get_ref<const std::string&>());
    if (property == properties->end() || !property->is_object()) continue;
    const auto constant = property->find("const");
    if (constant != property->end() && constant->is_string()) return &constant->get_ref<const std::string&>();
  }
  return nullptr;
}

void find_branches(const Json& node, const Json::json_pointer& at, std::vector<Schema::Branch>& branches) {
  if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) find_branches(node[i], at / i, branches);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [key, member] : node.items()) find_branches(member, at / key, branches);
  const auto all_of = node.find("allOf");
  if (all_of == node.end() || !all_of->is_array()) return;
  for (std::size_t i = 0; i < all_of->size(); ++i) {
    const Json& entry = (*all_of)[i];
    if (!entry.is_object() || !entry.contains("then")) continue;
    const auto condition = entry.find("if");
    if (condition == entry.end() || !condition->is_object()) continue;
    if (const std::string* text = required_text(*condition)) branches.push_back({at / "allOf" / i, *text});
  }
}

void collect_texts(const Json& node, std::unordered_set<std::string_view>& texts) {
  if (node.is_string()) {
    texts.insert(node.get_ref<const std::string&>());
  } else if (node.is_structured()) {
    for (const Json& member : node) collect_texts(member, texts);
  }
}

}  // namespace

const Schema& Schema::scenario() {
  static const Schema instance;
  return instance;
}

Schema::Schema() : root_(Json::parse(lean_schema_text())) { find_branches(root_, Json::json_pointer(), branches_); }

Schema::~Schema() = default;

std::shared_ptr<const valijson::Schema> Schema::compiled_for(const Json& document_root) const {
  std::unordered_set<std::string_view> texts;
  collect_texts(document_root, texts);
  std::vector<bool> kept(branches_.size());
  for (std::size_t i = 0; i < branches_.size(); ++i) kept[i] = texts.contains(branches_[i].text);
  return compile(kept);
}

std::shared_ptr<const valijson::Schema> Schema::compiled_whole() const {
  return compile(std::vector<bool>(branches_.size(), true));
}

std::shared_ptr<const valijson::Schema> Schema::compile(const std::vector<bool>& kept) const {
  const std::scoped_lock lock(mutex_);
  std::shared_ptr<const valijson::Schema>& compiled = compiled_[kept];
  if (compiled) return compiled;
  // valijson's adapter takes the unordered json type; the loader walks the ordered root so
  // that defaults come out in the schema's order.
  nlohmann::json plain = to_plain(root_);
  for (std::size_t i = 0; i < branches_.size(); ++i) {
    if (!kept[i]) plain.at(branches_[i].entry).erase("then");
  }
  auto schema = std::make_shared<valijson::Schema>();
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  const valijson::adapters::NlohmannJsonAdapter adapter(plain);
  parser.populateSchema(adapter, *schema);
  compiled = std::move(schema);
  return compiled;
}

const Json& Schema::resolve(const Json& schema) const {
  const Json* current = &schema;
  for (int hop = 0; hop < max_schema_hops; ++hop) {
    if (!current->is_object()) return *current;
    const auto ref = current->find("$ref");
    if (ref == current->end()) return *current;
    const auto& target = ref->get_ref<const std::string&>();
    if (!target.starts_with('#')) throw std::logic_error("scenario schema: unsupported $ref " + target);
    current = &root_.at(Json::json_pointer(target.substr(1)));
  }
  throw std::logic_error("scenario schema: $ref chain too long");
}

std::vector<const Json*> Schema::applicable(std::span<const Json* const> reached, const Json& value) const {
  std::vector<const Json*> result;
  // Breadth-first over allOf entries so that a then-branch's own allOf is honoured too.
  std::vector<const Json*> pending(reached.begin(), reached.end());
  for (int round = 0; round < max_schema_hops && !pending.empty(); ++round) {
    std::vector<const Json*> next;
    for (const Json* raw : pending) {
      const Json& schema = resolve(*raw);
      result.push_back(&schema);
      if (!schema.is_object()) continue;
      const auto all_of = schema.find("allOf");
      if (all_of == schema.end() || !all_of->is_array()) continue;
      for (const Json& entry : *all_of) {
        const Json& part = resolve(entry);
        const auto condition = part.find("if");
        const auto consequence = part.find("then");
        if (condition == part.end()) {
          next.push_back(&part);
        } else if (consequence != part.end() && satisfies(resolve(*condition), value)) {
          next.push_back(&*consequence);
        }
      }
    }
    pending = std::move(next);
  }
  return result;
}

std::vector<const Json*> Schema::property(std::span<const Json* const> schemas, std::string_view key) const {
  std::vector<const Json*> result;
  for (const Json* schema : schemas) {
    if (!schema->is_object()) continue;
    if (const auto properties = schema->find("properties"); properties != schema->end()) {
      if (const auto member = properties->find(key); member != properties->end()) {
        result.push_back(&*member);
        continue;
      }
    }
    if (const auto additional = schema->find("additionalProperties");
        additional != schema->end() && additional->is_object()) {
      result.push_back(&*additional);
    }
  }
  return result;
}

std::vector<const Json*> Schema::items(std::span<const Json* const> schemas, std::size_t index) const {
  std::vector<const Json*> result;
  for (const Json* schema : schemas) {
    if (!schema->is_object()) continue;
    const auto items = schema->find("items");
    if (items == schema->end()) continue;
    if (items->is_object()) {
      result.push_back(&*items);
    } else if (items->is_array() && index < items->size()) {
      result.push_back(&(*items)[index]);
    }
  }
  return result;
}

std::vector<const Json*> Schema::at(const Json& document_root, std::string_view pointer) const {
  const Json* node = &document_root;
  const Json* const start = &root_;
  std::vector<const Json*> schemas = applicable(std::span(&start, 1), *node);
  std::size_t position = 0;
  while (position < pointer.size()) {
    // pointer[position] is '/'; the token runs to the next '/'.
    const std::size_t next = std::min(pointer.find('/', position + 1), pointer.size());
    const std::string token = last_token(pointer.substr(position, next - position));
    position = next;
    if (node->is_object()) {
      const auto member = node->find(token);
      if (member == node->end()) return {};
      node = &*member;
      schemas = applicable(property(schemas, token), *node);
    } else if (node->is_array()) {
      std::size_t index = 0;
      const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (error != std::errc{} || end != token.data() + token.size() || index >= node->size()) return {};
      node = &(*node)[index];
      schemas = applicable(items(schemas, index), *node);
    } else {
      return {};
    }
  }
  return schemas;
}

bool satisfies(const Json& schema, const Json& value) {
  if (!schema.is_object()) return true;
  const auto types = allowed_types(schema);
  if (!types.empty() &&
      std::none_of(types.begin(), types.end(), [&](const std::string& type) { return has_type(value, type); })) {
    return false;
  }
  if (const auto constant = schema.find("const"); constant != schema.end() && *constant != value) return false;
  if (const auto values = schema.find("enum"); values != schema.end() && values->is_array() &&
                                               std::find(values->begin(), values->end(), value) == values->end()) {
    return false;
  }
  if (!value.is_object()) return true;
  if (const auto required = schema.find("required"); required != schema.end() && required->is_array()) {
    for (const Json& key : *required) {
      if (!key.is_string() || !value.contains(key.get_ref<const std::string&>())) return false;
    }
  }
  if (const auto properties = schema.find("properties"); properties != schema.end() && properties->is_object()) {
    for (const auto& [key, member] : value.items()) {
      if (const auto sub = properties->find(key); sub != properties->end() && !satisfies(*sub, member)) return false;
    }
  }
  return true;
}

std::vector<std::string> allowed_types(const Json& schema) {
  std::vector<std::string> types;
  if (!schema.is_object()) return types;
  const auto type = schema.find("type");
  if (type == schema.end()) return types;
  if (type->is_string()) {
    types.push_back(type->get<std::string>());
  } else if (type->is_array()) {
    for (const Json& name : *type) {
      if (name.is_string()) types.push_back(name.get<std::string>());
    }
  }
  return types;
}

bool value_has_type(const Json& value, std::string_view type) { return has_type(value, type); }

nlohmann::json to_plain(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      nlohmann::json result = nlohmann::json::object();
      for (const auto& [key, member] : value.items()) result[key] = to_plain(member);
      return result;
    }
    case Json::value_t::array: {
      nlohmann::json result = nlohmann::json::array();
      for (const Json& item : value) result.push_back(to_plain(item));
      return result;
    }
    case Json::value_t::string: return value.get<std::string>();
    case Json::value_t::boolean: return value.get<bool>();
    case Json::value_t::number_integer: return value.get<std::int64_t>();
    case Json::value_t::number_unsigned: return value.get<std::uint64_t>();
    case Json::value_t::number_float: return value.get<double>();
    default: return nullptr;
  }
}

}  // namespace commons::scenario::detail
