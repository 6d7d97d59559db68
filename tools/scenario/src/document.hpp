// SPDX-License-Identifier: Apache-2.0
#pragma once
// The scenario as the loader works on it: a JSON document plus, for every node, where in which
// source (the file or one --set argument) its key and its value were written.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace commons::scenario::detail {

// Order-preserving so that resolved_text keeps the author's key order.
using Json = nlohmann::ordered_json;

/// A 1-based place in one of the document's sources.
struct Location {
  std::size_t source = 0;
  std::int64_t line = 1;
  std::int64_t column = 1;
};

/// What the loader remembers about one node, keyed by its JSON pointer.
struct NodeInfo {
  /// Where the key naming this node was written (map entries only).
  std::optional<Location> key;
  /// Where the value starts.
  std::optional<Location> value;
  /// The original text of a plain scalar that was typed as a number or a boolean, so that the
  /// schema can turn it back into a string where it expects one (`name: 2024`).
  std::optional<std::string> plain_text;
};

/// A document under construction or check.
struct Document {
  Json root;
  /// Source names: index 0 is the scenario, later ones are --set arguments.
  std::vector<std::string> sources;
  /// Keyed by JSON pointer; ordered so that a subtree is a contiguous range.
  std::map<std::string, NodeInfo> nodes;
  /// Values read so far, against the limit that keeps validation fast on hostile input.
  std::size_t value_count = 0;
  /// In the document of one variant of a comparison, where its blocks were written: each
  /// pair maps a block's pointer here ("/governance") to its pointer in the file
  /// ("/compare/1/governance"), so that messages name what the user wrote.
  std::vector<std::pair<std::string, std::string>> aliases;
  /// In the document of one variant: appended to messages about blocks it shares with the
  /// scenario, which may be wrong only with the variant's own blocks ("; in variant 'x' ...").
  std::string shared_note;

  /// Forgets every node at or below `pointer` (before an override replaces it).
  void erase_subtree(const std::string& pointer);
  /// The location of the node's key (or value when `at_key` is false); falls back to the
  /// value, then to the nearest ancestor that has a location.
  [[nodiscard]] Location locate(std::string_view pointer, bool at_key) const;
  /// The pointer in the file of the node at `pointer` here: the same, except under an alias.
  [[nodiscard]] std::string file_pointer(const std::string& pointer) const;
};

/// Throws the ScenarioError for a problem with the node at `pointer`, written at `where`.
[[noreturn]] void raise(const Document& document, const Location& where, std::string pointer,
                        std::string message);

/// Appends one reference token to a JSON pointer, escaping '~' and '/' (RFC 6901).
[[nodiscard]] std::string child_pointer(std::string_view parent, std::string_view key);
[[nodiscard]] std::string child_pointer(std::string_view parent, std::size_t index);
/// The parent of a non-root pointer ("" for a top-level key).
[[nodiscard]] std::string_view parent_pointer(std::string_view pointer);
/// The unescaped last reference token of a non-root pointer.
[[nodiscard]] std::string last_token(std::string_view pointer);

/// Text of a user-supplied string fit for a one-line message: control characters escaped,
/// long text shortened.
[[nodiscard]] std::string printable(std::string_view text, std::size_t limit = 60);

}  // namespace commons::scenario::detail
