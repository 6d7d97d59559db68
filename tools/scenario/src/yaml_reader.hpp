// SPDX-License-Identifier: Apache-2.0
#pragma once
// The strict YAML profile: yaml-cpp's event parser turned into a JSON document that remembers
// where every node was written, refusing what makes YAML surprising (duplicate keys, anchors,
// aliases, merge keys, tags, non-string keys).

#include "document.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace commons::scenario::detail {

/// Deepest nesting of mappings and lists accepted; real scenarios use about five levels, and
/// the bound keeps every recursive walk in the loader far from the end of the stack.
inline constexpr std::size_t max_nesting = 64;
/// Most values (scalars, lists and mappings) accepted in one scenario, including overrides;
/// bounds the work validation does on a hostile file.
inline constexpr std::size_t max_values = 100000;

/// Where a piece of YAML text sits in its source.
struct YamlSource {
  std::string_view text;
  /// Index of the source's name in Document::sources.
  std::size_t source = 0;
  /// 1-based column at which `text` starts on its first line (a --set value starts after '=').
  std::int64_t first_column = 1;
};

/// Why `text` is not UTF-8 text, or nothing when it is.
[[nodiscard]] std::optional<std::string> text_problem(std::string_view text);

/// The bytes of `stream` up to `limit` + 1 of them, so that a caller tells a stream longer than
/// `limit` from one exactly that long; the stream is bad() after a read error.
[[nodiscard]] std::string read_at_most(std::istream& stream, std::size_t limit);

/// Parses the single YAML document in `source` under the strict profile and returns its root
/// value, recording where each node was written in `document.nodes`, with pointers under
/// `base_pointer`. Returns nothing when the text holds no document at all.
/// Throws ScenarioError.
[[nodiscard]] std::optional<Json> read_yaml(const YamlSource& source, const std::string& base_pointer,
                                            Document& document);

}  // namespace commons::scenario::detail
