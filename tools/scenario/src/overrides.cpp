// SPDX-License-Identifier: Apache-2.0
#include "overrides.hpp"

#include "yaml_reader.hpp"

#include <commons/scenario/loader.hpp>

#include <charconv>

namespace commons::scenario {
namespace detail {
namespace {

struct PathPart {
  std::string token;
  /// 1-based column of the part in the argument.
  std::int64_t column = 1;
};

[[noreturn]] void malformed(std::int64_t column, const std::string& message) {
  throw ScenarioError("--set", 1, column, "", message);
}

std::int64_t column_of(std::string_view text, std::size_t offset) {
  // Columns count characters, as in scenario files.
  std::int64_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0U) != 0x80U) ++column;
  }
  return column;
}

// Splits and checks a dotted path; messages quote the whole argument so the user sees which.
std::vector<PathPart> split_path(std::string_view argument, std::string_view path) {
  if (auto problem = text_problem(argument)) malformed(1, "--set argument is not text: " + *problem);
  if (path.empty()) {
    malformed(1, "malformed --set argument '" + printable(argument) + "': the path before '=' is empty");
  }
  std::vector<PathPart> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    if (dot == start) {
      malformed(column_of(argument, start), "malformed --set argument '" + printable(argument) +
                                                "': empty part in the path '" + printable(path) + "'");
    }
    parts.push_back(PathPart{std::string(path.substr(start, dot - start)), column_of(argument, start)});
    if (dot == path.size()) break;
    start = dot + 1;
  }
  return parts;
}

std::string kind_of(const Json& value) {
  if (value.is_object()) return "a mapping";
  if (value.is_array()) return "a list";
  if (value.is_string()) return "text";
  if (value.is_boolean()) return "true or false";
  if (value.is_null()) return "empty";
  return "a number";
}

std::string dotted(const std::vector<PathPart>& parts, std::size_t count) {
  std::string result;
  for (std::size_t i = 0; i < count && i < parts.size(); ++i) {
    if (i > 0) result.push_back('.');
    result += parts[i].token;
  }
  return printable(result);
}

}  // namespace

void apply_override(Document& document, const Override& change) {
  const std::string argument = change.path + "=" + change.value;
  const auto parts = split_path(argument, change.path);
  const std::size_t source = document.sources.size();
  document.sources.push_back("--set");
  const std::int64_t value_column = column_of(argument, change.path.size() + 1);

  Json* node = &document.root;
  std::string pointer;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const PathPart& part = parts[i];
    const Location here{source, 1, part.column};
    const bool last = i + 1 == parts.size();
    std::string next;
    if (node->is_object()) {
      next = child_pointer(pointer, part.token);
      if (!node->contains(part.token)) {
        // A path through a missing parent creates it; the schema then judges the new key.
        (*node)[part.token] = last ? Json(nullptr) : Json::object();
        document.nodes[next].value = here;
      }
      document.nodes[next].key = here;
      if (last) {
        document.erase_subtree(next);
        auto value = read_yaml(YamlSource{change.value, source, value_column}, next, document);
        (*node)[part.token] = value ? std::move(*value) : Json(nullptr);
        // The override stands for the value it sets: point at its path, which names it.
        document.nodes[next].key = here;
        document.nodes[next].value = here;
        return;
      }
      node = &(*node)[part.token];
    } else if (node->is_array()) {
      std::size_t index = 0;
      const auto& token = part.token;
      const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (error != std::errc{} || end != token.data() + token.size()) {
        raise(document, here, pointer,
              "'" + dotted(parts, i) + "' is a list; give an index (0 to " +
                  std::to_string(node->empty() ? 0 : node->size() - 1) + ") instead of '" + printable(token) + "'");
      }
      if (index >= node->size()) {
        raise(document, here, pointer,
              "index " + std::to_string(index) + " is out of range: '" + dotted(parts, i) + "' has " +
                  std::to_string(node->size()) + (node->size() == 1 ? " entry" : " entries"));
      }
      next = child_pointer(pointer, index);
      if (last) {
        document.erase_subtree(next);
        auto value = read_yaml(YamlSource{change.value, source, value_column}, next, document);
        (*node)[index] = value ? std::move(*value) : Json(nullptr);
        document.nodes[next].value = here;
        return;
      }
      node = &(*node)[index];
    } else {
      raise(document, here, pointer,
            "cannot set '" + dotted(parts, parts.size()) + "': '" + dotted(parts, i) + "' is " + kind_of(*node) +
                ", not a mapping or a list");
    }
    pointer = std::move(next);
  }
}

}  // namespace detail

Override parse_override(std::string_view argument) {
  const auto equals = argument.find('=');
  if (equals == std::string_view::npos) {
    detail::malformed(1, "malformed --set argument '" + detail::printable(argument) +
                             "': expected PATH=VALUE, such as resource.growth_rate=0.7");
  }
  Override result{std::string(argument.substr(0, equals)), std::string(argument.substr(equals + 1))};
  // Check the path now so that a typo is reported before any file is read.
  static_cast<void>(detail::split_path(argument, result.path));
  return result;
}

}  // namespace commons::scenario
