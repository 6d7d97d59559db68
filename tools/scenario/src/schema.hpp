// SPDX-License-Identifier: Apache-2.0
#pragma once
// The embedded JSON Schema, compiled once for valijson and kept as a document for the loader's
// own walks (string coercion, error messages, defaults), which follow the same conventions:
// `$ref` to "#/..." pointers, and per-model parameters chosen by `allOf` entries of the form
// {"if": {...}, "then": {...}} whose `if` uses only required/properties/const/enum/type.

#include "document.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace valijson {
class Schema;
}

namespace commons::scenario::detail {

class Schema {
 public:
  /// An if/then that applies only where a key its `if` requires holds the text `text`.
  struct Branch {
    Json::json_pointer entry;
    std::string text;
  };

  /// The schema of scenario format 1 (its lean text), parsed on first use (thread-safe).
  [[nodiscard]] static const Schema& scenario();

  [[nodiscard]] const Json& root() const { return root_; }
  /// valijson's compilation of the schema for validating `document_root`: without the `then`
  /// of any if/then whose `if` requires a key to hold a text that is nowhere in the document,
  /// since such a `then` applies nowhere in it. A scenario names one resource model, a behaviour
  /// or two and a few rules of the dozens the schema describes; compiling every one of them was
  /// most of what `commons validate` took. Documents that keep the same branches share one
  /// compilation (thread-safe).
  [[nodiscard]] std::shared_ptr<const valijson::Schema> compiled_for(const Json& document_root) const;
  /// valijson's compilation of the whole schema, what compiled_for must agree with.
  [[nodiscard]] std::shared_ptr<const valijson::Schema> compiled_whole() const;
  /// The if/then branches compiled_for may leave out.
  [[nodiscard]] const std::vector<Branch>& branches() const { return branches_; }

  /// The schema objects that apply to `value` when the schemas in `reached` do: each with its
  /// `$ref` followed, plus the `then` of every if/then whose `if` holds for `value`.
  [[nodiscard]] std::vector<const Json*> applicable(std::span<const Json* const> reached, const Json& value) const;
  /// The schemas (before `applicable`) of member `key` of an object under `schemas`.
  [[nodiscard]] std::vector<const Json*> property(std::span<const Json* const> schemas, std::string_view key) const;
  /// The schemas (before `applicable`) of item `index` of an array under `schemas`: `items`
  /// when it is one schema, its entry `index` when it is a list (a tuple such as [mean, sd]).
  [[nodiscard]] std::vector<const Json*> items(std::span<const Json* const> schemas, std::size_t index) const;
  /// The applicable schemas of the node at `pointer` in `root`; empty when the path leaves
  /// the schema or the document.
  [[nodiscard]] std::vector<const Json*> at(const Json& document_root, std::string_view pointer) const;

  /// `schema` with its `$ref` chain followed.
  [[nodiscard]] const Json& resolve(const Json& schema) const;

  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;
  ~Schema();

 private:
  Schema();
  /// The schema without the `then` of the branches not in `kept`, compiled.
  [[nodiscard]] std::shared_ptr<const valijson::Schema> compile(const std::vector<bool>& kept) const;

  Json root_;
  std::vector<Branch> branches_;
  mutable std::mutex mutex_;
  /// Compilations by the branches they keep.
  mutable std::map<std::vector<bool>, std::shared_ptr<const valijson::Schema>> compiled_;
};

/// The scenario schema without the descriptions of its keys, which the loader never reads
/// (embedded by the build with scenario_schema_text()).
[[nodiscard]] std::string_view lean_schema_text() noexcept;

/// `value` as valijson's adapter takes it: nlohmann's unordered json.
[[nodiscard]] nlohmann::json to_plain(const Json& value);

/// Whether `value` satisfies the small subset of JSON Schema used in `if` conditions.
[[nodiscard]] bool satisfies(const Json& schema, const Json& value);

/// Whether `value` is of JSON Schema type `type` ("integer", "number", "string", ...).
[[nodiscard]] bool value_has_type(const Json& value, std::string_view type);

/// The JSON type names ("integer", "number", ...) a schema allows, empty when unrestricted.
[[nodiscard]] std::vector<std::string> allowed_types(const Json& schema);

}  // namespace commons::scenario::detail
