// SPDX-License-Identifier: Apache-2.0
#include "document.hpp"

#include <commons/scenario/scenario_error.hpp>

#include <cstdio>

namespace commons::scenario::detail {

void Document::erase_subtree(const std::string& pointer) {
  nodes.erase(pointer);
  // Descendants are exactly the keys in [pointer + "/", pointer + "0"): '0' follows '/'.
  const auto first = nodes.lower_bound(pointer + "/");
  const auto last = nodes.lower_bound(pointer + "0");
  nodes.erase(first, last);
}

Location Document::locate(std::string_view pointer, bool at_key) const {
  std::string current(pointer);
  while (true) {
    if (const auto it = nodes.find(current); it != nodes.end()) {
      if (at_key && it->second.key) return *it->second.key;
      if (it->second.value) return *it->second.value;
      if (it->second.key) return *it->second.key;
    }
    if (current.empty()) return Location{};
    current = std::string(parent_pointer(current));
    // An ancestor stands for the node by its key when it has one: "resource:" reads better
    // than the first key inside it.
    at_key = true;
  }
}

std::string Document::file_pointer(const std::string& pointer) const {
  for (const auto& [here, there] : aliases) {
    if (pointer.starts_with(here) && (pointer.size() == here.size() || pointer[here.size()] == '/')) {
      return there + pointer.substr(here.size());
    }
  }
  return pointer;
}

void raise(const Document& document, const Location& where, std::string pointer, std::string message) {
  const std::string& source = where.source < document.sources.size() ? document.sources[where.source]
                                                                      : document.sources.at(0);
  std::string in_file = document.file_pointer(pointer);
  if (in_file == pointer) message += document.shared_note;
  throw ScenarioError(source, where.line, where.column, std::move(in_file), std::move(message));
}

std::string child_pointer(std::string_view parent, std::string_view key) {
  std::string result(parent);
  result.reserve(parent.size() + key.size() + 1);
  result.push_back('/');
  for (const char c : key) {
    if (c == '~') {
      result += "~0";
    } else if (c == '/') {
      result += "~1";
    } else {
      result.push_back(c);
    }
  }
  return result;
}

std::string child_pointer(std::string_view parent, std::size_t index) {
  return std::string(parent) + "/" + std::to_string(index);
}

std::string_view parent_pointer(std::string_view pointer) {
  const auto slash = pointer.rfind('/');
  return slash == std::string_view::npos ? std::string_view{} : pointer.substr(0, slash);
}

std::string last_token(std::string_view pointer) {
  const auto slash = pointer.rfind('/');
  const std::string_view token = slash == std::string_view::npos ? pointer : pointer.substr(slash + 1);
  std::string result;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      result.push_back(token[i + 1] == '1' ? '/' : '~');
      ++i;
    } else {
      result.push_back(token[i]);
    }
  }
  return result;
}

std::string printable(std::string_view text, std::size_t limit) {
  std::string result;
  std::size_t shown = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // Count code points, not bytes, against the limit; never cut a UTF-8 sequence.
    if ((byte & 0xC0U) != 0x80U) {
      if (shown == limit) {
        result += "...";
        break;
      }
      ++shown;
    }
    if (byte < 0x20U || byte == 0x7FU) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", static_cast<unsigned>(byte));
      result += escaped;
    } else {
      result.push_back(text[i]);
    }
  }
  return result;
}

}  // namespace commons::scenario::detail
