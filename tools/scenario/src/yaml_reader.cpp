// SPDX-License-Identifier: Apache-2.0
#include "yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <istream>
#include <limits>
#include <sstream>
#include <unordered_map>
#include <utility>
#include <vector>

namespace commons::scenario::detail {
namespace {

constexpr const char* alias_message = "aliases ('*name') are not allowed in scenarios; write the value out in full";

bool is_continuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

bool all_of(std::string_view text, bool (*predicate)(char)) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!predicate(c)) return false;
  }
  return true;
}

bool is_decimal_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal_digit(char c) { return c >= '0' && c <= '7'; }
bool is_hex_digit(char c) {
  return is_decimal_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// YAML 1.2 core schema float: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool is_core_float(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t integer_digits = 0;
  while (i < text.size() && is_decimal_digit(text[i])) ++i, ++integer_digits;
  std::size_t fraction_digits = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && is_decimal_digit(text[i])) ++i, ++fraction_digits;
    if (integer_digits == 0 && fraction_digits == 0) return false;
  } else if (integer_digits == 0) {
    return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (!all_of(text.substr(i), is_decimal_digit)) return false;
    i = text.size();
  }
  return i == text.size();
}

// A plain scalar typed by the strict profile: booleans, core-schema integers and finite floats;
// nothing otherwise (it stays a string). Infinities and NaN stay strings because JSON, the
// schema and the results file have no place for them.
std::optional<Json> type_plain_scalar(std::string_view text) {
  if (text == "true") return Json(true);
  if (text == "false") return Json(false);
  if (text.empty()) return std::nullopt;

  std::string_view digits = text;
  bool negative = false;
  if (digits.front() == '-' || digits.front() == '+') {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  int base = 0;
  if (all_of(digits, is_decimal_digit)) {
    base = 10;
  } else if (digits.size() > 2 && digits.starts_with("0o") && digits.size() == text.size() &&
             all_of(digits.substr(2), is_octal_digit)) {
    base = 8;
    digits.remove_prefix(2);
  } else if (digits.size() > 2 && digits.starts_with("0x") && digits.size() == text.size() &&
             all_of(digits.substr(2), is_hex_digit)) {
    base = 16;
    digits.remove_prefix(2);
  }
  if (base != 0) {
    std::uint64_t magnitude = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
    constexpr auto max_positive = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    if (error == std::errc{} && end == digits.data() + digits.size()) {
      if (!negative && magnitude <= max_positive) return Json(static_cast<std::int64_t>(magnitude));
      if (negative && magnitude <= max_positive + 1) {
        return Json(magnitude == max_positive + 1 ? std::numeric_limits<std::int64_t>::min()
                                                  : -static_cast<std::int64_t>(magnitude));
      }
    }
    // Too large for int64: a decimal still reads as a (rounded) real number below; hex and
    // octal ones stay text.
    if (base != 10) return std::nullopt;
  }
  if (!is_core_float(text)) return std::nullopt;

  // from_chars wants no '+' and digits on both sides of the point ("1." and ".5" are YAML).
  std::string normal(text.front() == '+' ? text.substr(1) : text);
  if (const auto point = normal.find('.'); point != std::string::npos) {
    if (point + 1 == normal.size() || !is_decimal_digit(normal[point + 1])) normal.insert(point + 1, "0");
    if (point == 0 || !is_decimal_digit(normal[point - 1])) normal.insert(point, "0");
  }
  double value = 0.0;
  const auto [end, error] = std::from_chars(normal.data(), normal.data() + normal.size(), value);
  if (error != std::errc{} || end != normal.data() + normal.size() || !std::isfinite(value)) return std::nullopt;
  return Json(value);
}

// Turns yaml-cpp's 0-based byte positions into 1-based character positions in the source.
class LineIndex {
 public:
  explicit LineIndex(const YamlSource& source) : source_(source) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < source.text.size(); ++i) {
      if (source.text[i] == '\n') starts_.push_back(i + 1);
    }
  }

  [[nodiscard]] Location locate(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0 || mark.column < 0) return Location{source_.source, 1, source_.first_column};
    const auto line = static_cast<std::size_t>(mark.line);
    const std::int64_t first = line == 0 ? source_.first_column : 1;
    if (line >= starts_.size()) return Location{source_.source, mark.line + 1, first + mark.column};
    const std::size_t end = std::min(source_.text.size(), starts_[line] + static_cast<std::size_t>(mark.column));
    // yaml-cpp counts bytes; editors and terminals count characters. Events come in text
    // order, so resume counting where the last call on this line stopped: a long flow list
    // on one line would otherwise cost quadratic time.
    if (line != cached_line_ || end < cached_end_) {
      cached_line_ = line;
      cached_end_ = starts_[line];
      cached_characters_ = 0;
    }
    for (; cached_end_ < end; ++cached_end_) {
      if (!is_continuation(static_cast<unsigned char>(source_.text[cached_end_]))) ++cached_characters_;
    }
    return Location{source_.source, mark.line + 1, first + cached_characters_};
  }

  // The source text from the mark on (empty when the mark is outside it).
  [[nodiscard]] std::string_view rest(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.line < 0 || mark.column < 0) return {};
    const auto line = static_cast<std::size_t>(mark.line);
    if (line >= starts_.size()) return {};
    const std::size_t at = starts_[line] + static_cast<std::size_t>(mark.column);
    return at < source_.text.size() ? source_.text.substr(at) : std::string_view{};
  }

 private:
  const YamlSource& source_;
  std::vector<std::size_t> starts_;
  mutable std::size_t cached_line_ = 0;
  mutable std::size_t cached_end_ = 0;
  mutable std::int64_t cached_characters_ = 0;
};

std::string display_tag(const std::string& tag) {
  constexpr std::string_view core = "tag:yaml.org,2002:";
  if (std::string_view(tag).starts_with(core)) return "!!" + tag.substr(core.size());
  return tag;
}

// Builds the JSON document from yaml-cpp's events. Containers under construction live on a
// stack and move into their parent when they end.
class Builder final : public YAML::EventHandler {
 public:
  Builder(const YamlSource& source, std::string base_pointer, Document& document)
      : lines_(source), base_pointer_(std::move(base_pointer)), document_(document) {}

  std::optional<Json> take_result() { return std::move(result_); }
  bool stopped() const { return stopped_; }

  /// Throws the first profile violation seen, if any. Called once yaml-cpp has read the whole
  /// text, so that a syntax error further on wins: it explains the odd events before it.
  void raise_deferred() const {
    if (problem_) raise(document_, problem_->where, problem_->pointer, problem_->message);
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (stopped_) return;
    if (documents_++ == 0) return;
    const std::string_view rest = lines_.rest(mark);
    if (rest.starts_with("---")) {
      return defer(mark, "", "a scenario holds a single YAML document; remove this second one (and its '---')");
    }
    // yaml-cpp 0.7 answers a stray ',' outside brackets with empty documents that consume
    // nothing, forever; anything that is not a '---' here is such leftover text.
    std::size_t length = 1;
    while (length < rest.size() && (static_cast<unsigned char>(rest[length]) & 0xC0U) == 0x80U) ++length;
    defer(mark, "", "YAML syntax error: unexpected '" + printable(rest.substr(0, std::min(length, rest.size()))) +
                        "'");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override {
    if (stopped_) return;
    if (in_key_position()) return defer(mark, top().pointer, "a mapping key must be text, not empty or null");
    Location where = locate(mark);
    // An empty value ("key:" then a line break) is reported by yaml-cpp at the next token;
    // the key is the better place to point at.
    if (!written_as_null(mark) && !stack_.empty() && stack_.back().is_map && stack_.back().key_location) {
      where = *stack_.back().key_location;
    }
    add_value(Json(nullptr), where, std::nullopt);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override {
    if (!stopped_) defer(mark, current_pointer(), alias_message);
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& name) override {
    if (stopped_) return;
    defer(mark, current_pointer(),
          "anchors ('&" + printable(name) + "') are not allowed in scenarios; write each value out in full");
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t /*anchor*/,
                const std::string& value) override {
    // yaml-cpp gives "?" for plain scalars and "!" for quoted and block ones; anything else
    // was written by the author.
    if (stopped_) return;
    const bool plain = tag == "?";
    if (!plain && tag != "!") {
      return defer(mark, current_pointer(),
                   "explicit tags ('" + printable(display_tag(tag)) +
                       "') are not allowed in scenarios; quote a value to make it text");
    }
    if (in_key_position()) {
      on_key(mark, value, plain);
      return;
    }
    if (plain) {
      if (auto typed = type_plain_scalar(value)) {
        add_value(std::move(*typed), locate(mark), value);
        return;
      }
    }
    add_value(Json(value), locate(mark), std::nullopt);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t /*anchor*/,
                       YAML::EmitterStyle::value /*style*/) override {
    open(mark, tag, false);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {
    open(mark, tag, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    Json value;
    std::string pointer;
    bool is_map = false;
    std::optional<std::string> key;
    std::optional<Location> key_location;
    // First line of each key in this mapping, to name it when the key comes again.
    std::unordered_map<std::string, std::int64_t> seen;
    std::size_t next_index = 0;
  };

  Frame& top() { return stack_.back(); }

  bool in_key_position() const { return !stack_.empty() && stack_.back().is_map && !stack_.back().key; }

  // Pointer of the node that the next event belongs to (for messages).
  std::string current_pointer() const {
    if (stack_.empty()) return base_pointer_;
    const Frame& frame = stack_.back();
    if (frame.is_map) return frame.key ? child_pointer(frame.pointer, *frame.key) : frame.pointer;
    return child_pointer(frame.pointer, frame.next_index);
  }

  Location locate(const YAML::Mark& mark) const { return lines_.locate(mark); }

  bool written_as_null(const YAML::Mark& mark) const {
    const std::string_view rest = lines_.rest(mark);
    return rest.starts_with('~') || rest.starts_with("null") || rest.starts_with("Null") || rest.starts_with("NULL");
  }

  // Records a profile violation and stops building; yaml-cpp still reads on (see raise_deferred).
  void defer(const YAML::Mark& mark, std::string pointer, std::string message) {
    if (!problem_) problem_ = Deferred{locate(mark), std::move(pointer), std::move(message)};
    stopped_ = true;
  }

  void count_value(const Location& where) {
    if (++document_.value_count > max_values) {
      raise(document_, where, current_pointer(),
            "scenario has more than " + std::to_string(max_values) + " values; this cannot be a scenario");
    }
  }

  void on_key(const YAML::Mark& mark, const std::string& key, bool plain) {
    Frame& frame = top();
    const Location where = locate(mark);
    if (plain && key == "<<") {
      return defer(mark, frame.pointer, "merge keys ('<<') are not allowed in scenarios; write each key out in full");
    }
    const std::string pointer = child_pointer(frame.pointer, key);
    if (const auto [it, inserted] = frame.seen.emplace(key, where.line); !inserted) {
      return defer(mark, pointer,
                   "duplicate key '" + printable(key) + "' (first given on line " + std::to_string(it->second) + ")");
    }
    frame.key = key;
    frame.key_location = where;
    document_.nodes[pointer].key = where;
  }

  // Pointer of a new value node, advancing the parent to its next slot.
  std::string claim_pointer() {
    if (stack_.empty()) return base_pointer_;
    Frame& frame = top();
    if (frame.is_map) return child_pointer(frame.pointer, *frame.key);
    return child_pointer(frame.pointer, frame.next_index);
  }

  void attach(Json value) {
    if (stack_.empty()) {
      result_ = std::move(value);
      return;
    }
    Frame& frame = top();
    if (frame.is_map) {
      // Keys are already known to be unique here, so append without ordered_map's linear
      // search for an existing key (quadratic on a hostile file with many keys).
      frame.value.get_ref<Json::object_t&>().emplace_back(std::move(*frame.key), std::move(value));
      frame.key.reset();
      frame.key_location.reset();
    } else {
      frame.value.get_ref<Json::array_t&>().push_back(std::move(value));
      ++frame.next_index;
    }
  }

  void add_value(Json value, const Location& where, std::optional<std::string> plain_text) {
    count_value(where);
    NodeInfo& info = document_.nodes[claim_pointer()];
    info.value = where;
    info.plain_text = std::move(plain_text);
    attach(std::move(value));
  }

  void open(const YAML::Mark& mark, const std::string& tag, bool is_map) {
    // The nesting bound stops yaml-cpp's recursion at once, whatever else is wrong.
    if (++depth_ > max_nesting) {
      raise(document_, locate(mark), stopped_ ? base_pointer_ : current_pointer(),
            "lists and mappings are nested more than " + std::to_string(max_nesting) + " levels deep");
    }
    if (stopped_) return;
    const char* kind = is_map ? "a mapping" : "a list";
    if (in_key_position()) return defer(mark, top().pointer, std::string("a mapping key must be text, not ") + kind);
    if (tag != "?" && tag != "!") {
      return defer(mark, current_pointer(),
                   "explicit tags ('" + printable(display_tag(tag)) + "') are not allowed in scenarios");
    }
    count_value(locate(mark));
    Frame frame;
    frame.pointer = claim_pointer();
    frame.is_map = is_map;
    frame.value = is_map ? Json::object() : Json::array();
    document_.nodes[frame.pointer].value = locate(mark);
    stack_.push_back(std::move(frame));
  }

  void close() {
    --depth_;
    if (stopped_) return;
    Json value = std::move(top().value);
    stack_.pop_back();
    attach(std::move(value));
  }

  LineIndex lines_;
  std::string base_pointer_;
  Document& document_;
  std::vector<Frame> stack_;
  std::optional<Json> result_;
  int documents_ = 0;
  std::size_t depth_ = 0;
  struct Deferred {
    Location where;
    std::string pointer;
    std::string message;
  };
  std::optional<Deferred> problem_;
  bool stopped_ = false;
};

}  // namespace

std::string read_at_most(std::istream& stream, std::size_t limit) {
  // Piece by piece, not into a buffer of the limit's size: zeroing 4 MiB for a scenario of a
  // few KiB (a page fault per 4 KiB) cost more than all the rest of reading it.
  std::string text;
  std::array<char, 64 * 1024> piece;
  while (text.size() <= limit) {
    const std::size_t wanted = std::min(piece.size(), limit + 1 - text.size());
    stream.read(piece.data(), static_cast<std::streamsize>(wanted));
    text.append(piece.data(), static_cast<std::size_t>(stream.gcount()));
    if (!stream) break;
  }
  return text;
}

std::optional<std::string> text_problem(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size;) {
    const unsigned char lead = bytes[i];
    if (lead == 0) return "it contains a NUL byte at offset " + std::to_string(i);
    if (lead < 0x80U) {
      ++i;
      continue;
    }
    // Well-formed UTF-8 (Unicode 15, table 3-7): no overlong forms, surrogates or values
    // above U+10FFFF.
    std::size_t length = 0;
    unsigned char low = 0x80U;
    unsigned char high = 0xBFU;
    if (lead >= 0xC2U && lead <= 0xDFU) {
      length = 2;
    } else if (lead >= 0xE0U && lead <= 0xEFU) {
      length = 3;
      if (lead == 0xE0U) low = 0xA0U;
      if (lead == 0xEDU) high = 0x9FU;
    } else if (lead >= 0xF0U && lead <= 0xF4U) {
      length = 4;
      if (lead == 0xF0U) low = 0x90U;
      if (lead == 0xF4U) high = 0x8FU;
    }
    bool valid = length != 0 && i + length <= size;
    for (std::size_t k = 1; valid && k < length; ++k) {
      const unsigned char byte = bytes[i + k];
      valid = k == 1 ? (byte >= low && byte <= high) : is_continuation(byte);
    }
    if (!valid) return "it is not valid UTF-8 (at byte offset " + std::to_string(i) + ")";
    i += length;
  }
  return std::nullopt;
}

std::optional<Json> read_yaml(const YamlSource& source, const std::string& base_pointer, Document& document) {
  // yaml-cpp reads from a stream; the copy is bounded by the size limit checked before.
  std::istringstream stream{std::string(source.text)};
  Builder builder(source, base_pointer, document);
  try {
    YAML::Parser parser(stream);
    // One document is parsed, then one more call tells whether anything follows it. Never
    // loop until yaml-cpp says there is no more: on some input it never does (see above).
    if (parser.HandleNextDocument(builder) && !builder.stopped()) static_cast<void>(parser.HandleNextDocument(builder));
    builder.raise_deferred();
  } catch (const YAML::Exception& error) {
    const Location where = LineIndex(source).locate(error.mark);
    // yaml-cpp resolves an alias before reporting it, so an alias whose anchor was never
    // defined (the only kind that gets past the anchor check) arrives here.
    if (error.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) raise(document, where, "", alias_message);
    raise(document, where, "", "YAML syntax error: " + printable(error.msg, 200));
  }
  return builder.take_result();
}

}  // namespace commons::scenario::detail
