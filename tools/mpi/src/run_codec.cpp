// SPDX-License-Identifier: Apache-2.0
#include <commons/mpi/run_codec.hpp>

#include <bit>
#include <cstring>

namespace commons::mpi {
namespace {

#if defined(__GLIBCXX__) && UINTPTR_MAX == UINT64_MAX
// A tripwire, not a contract: a field added to these types must travel too. Encode and decode
// it below, extend the round-trip test, then update the size here.
static_assert(sizeof(sim::RunTask) == 88, "RunTask changed: carry the new field in run_codec.cpp");
static_assert(sizeof(sim::RunResult) == 272, "RunResult changed: carry the new field in run_codec.cpp");
static_assert(sizeof(sim::VariableInfo) == 104, "VariableInfo changed: carry the new field in run_codec.cpp");
#endif

// What each message holds, first in its bytes: a message of another kind, or of a build that
// lays them out differently, is refused instead of misread.
enum class Kind : std::uint64_t { result = 0x434d'5255'4e31, failure = 0x434d'4641'4931, texts = 0x434d'5458'5431,
                                  indices = 0x434d'4958'5331 };

constexpr bool little_endian = std::endian::native == std::endian::little;

class Writer {
 public:
  explicit Writer(Kind kind) { word(static_cast<std::uint64_t>(kind)); }

  void word(std::uint64_t value) {
    for (int shift = 0; shift < 64; shift += 8) bytes_.push_back(static_cast<std::byte>(value >> shift));
  }
  void integer(std::int64_t value) { word(static_cast<std::uint64_t>(value)); }
  void real(double value) { word(std::bit_cast<std::uint64_t>(value)); }
  void text(const std::string& value) {
    word(value.size());
    const auto* first = reinterpret_cast<const std::byte*>(value.data());
    bytes_.insert(bytes_.end(), first, first + value.size());
  }
  // Arrays of 8-byte values: copied whole on little-endian machines, where they already are in
  // the order the message wants.
  template <class T>
  void array(std::span<const T> values) {
    static_assert(sizeof(T) == 8);
    word(values.size());
    if constexpr (little_endian) {
      const auto* first = reinterpret_cast<const std::byte*>(values.data());
      bytes_.insert(bytes_.end(), first, first + values.size_bytes());
    } else {
      for (const T value : values) word(std::bit_cast<std::uint64_t>(value));
    }
  }
  void info(const sim::VariableInfo& variable) {
    text(variable.name);
    text(variable.units);
    text(variable.description);
    word(variable.governance_cost ? 1 : 0);
  }
  void task(const sim::RunTask& task) {
    integer(task.index);
    integer(task.replicate);
    word(task.seed);
    integer(task.variant);
    array(std::span<const double>(task.factors));
    integer(task.design_point);
    integer(task.policy);
    word(task.stream);
    integer(task.layout);
  }

  [[nodiscard]] std::vector<std::byte> take() { return std::move(bytes_); }

 private:
  std::vector<std::byte> bytes_;
};

class Reader {
 public:
  Reader(std::span<const std::byte> bytes, Kind kind) : bytes_(bytes) {
    if (word() != static_cast<std::uint64_t>(kind)) throw CodecError("a message of another kind or build");
  }

  std::uint64_t word() {
    const std::span<const std::byte> raw = take(8);
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value |= std::to_integer<std::uint64_t>(raw[static_cast<std::size_t>(i)]) << (8 * i);
    return value;
  }
  std::int64_t integer() { return static_cast<std::int64_t>(word()); }
  double real() { return std::bit_cast<double>(word()); }
  std::string text() {
    const std::span<const std::byte> raw = take(count(1));
    return {reinterpret_cast<const char*>(raw.data()), raw.size()};
  }
  template <class T>
  std::vector<T> array() {
    static_assert(sizeof(T) == 8);
    const std::size_t n = count(8);
    std::vector<T> values(n);
    if constexpr (little_endian) {
      const std::span<const std::byte> raw = take(n * 8);
      if (n > 0) std::memcpy(values.data(), raw.data(), raw.size());
    } else {
      for (T& value : values) value = std::bit_cast<T>(word());
    }
    return values;
  }
  sim::VariableInfo info() {
    sim::VariableInfo variable;
    variable.name = text();
    variable.units = text();
    variable.description = text();
    variable.governance_cost = word() != 0;
    return variable;
  }
  sim::RunTask task() {
    sim::RunTask task;
    task.index = integer();
    task.replicate = integer();
    task.seed = word();
    task.variant = integer();
    task.factors = array<double>();
    task.design_point = integer();
    task.policy = integer();
    task.stream = word();
    task.layout = integer();
    return task;
  }
  /// A count of items of at least `item_size` bytes each, refused when the message could not
  /// hold that many (so a damaged count never allocates).
  std::size_t count(std::size_t item_size) {
    const std::uint64_t n = word();
    if (n > (bytes_.size() - position_) / item_size) throw CodecError("a count beyond the message's end");
    return static_cast<std::size_t>(n);
  }
  void finish() const {
    if (position_ != bytes_.size()) throw CodecError("bytes after the message's end");
  }

 private:
  std::span<const std::byte> take(std::size_t n) {
    if (n > bytes_.size() - position_) throw CodecError("a message cut short");
    const std::span<const std::byte> raw = bytes_.subspan(position_, n);
    position_ += n;
    return raw;
  }

  std::span<const std::byte> bytes_;
  std::size_t position_ = 0;
};

}  // namespace

std::vector<std::byte> encode(const sim::RunResult& result) {
  Writer out(Kind::result);
  out.task(result.task);
  out.integer(result.steps);
  out.word(result.series.size());
  for (const sim::SeriesData& series : result.series) {
    out.info(series.info);
    out.array(std::span<const double>(series.values));
  }
  for (const std::vector<sim::ScalarData>* scalars : {&result.summary, &result.references}) {
    out.word(scalars->size());
    for (const sim::ScalarData& scalar : *scalars) {
      out.info(scalar.info);
      out.real(scalar.value);
    }
  }
  out.array(std::span<const std::uint64_t>(result.agent_ids));
  out.word(result.agents.size());
  for (const sim::AgentData& agent : result.agents) {
    out.info(agent.info);
    out.array(std::span<const double>(agent.values));
  }
  out.integer(result.agent_rows_streamed);
  out.word(result.sites.size());
  for (const sim::SiteData& site : result.sites) {
    out.info(site.info);
    out.array(std::span<const double>(site.values));
  }
  out.array(std::span<const std::uint64_t>(result.degree_counts));
  return out.take();
}

sim::RunResult decode_result(std::span<const std::byte> bytes) {
  Reader in(bytes, Kind::result);
  sim::RunResult result;
  result.task = in.task();
  result.steps = in.integer();
  result.series.resize(in.count(8));
  for (sim::SeriesData& series : result.series) {
    series.info = in.info();
    series.values = in.array<double>();
  }
  for (std::vector<sim::ScalarData>* scalars : {&result.summary, &result.references}) {
    scalars->resize(in.count(8));
    for (sim::ScalarData& scalar : *scalars) {
      scalar.info = in.info();
      scalar.value = in.real();
    }
  }
  result.agent_ids = in.array<std::uint64_t>();
  result.agents.resize(in.count(8));
  for (sim::AgentData& agent : result.agents) {
    agent.info = in.info();
    agent.values = in.array<double>();
  }
  result.agent_rows_streamed = in.integer();
  result.sites.resize(in.count(8));
  for (sim::SiteData& site : result.sites) {
    site.info = in.info();
    site.values = in.array<double>();
  }
  result.degree_counts = in.array<std::uint64_t>();
  in.finish();
  return result;
}

std::vector<std::byte> encode(const RunFailure& failure) {
  Writer out(Kind::failure);
  out.integer(failure.index);
  out.text(failure.message);
  return out.take();
}

RunFailure decode_failure(std::span<const std::byte> bytes) {
  Reader in(bytes, Kind::failure);
  RunFailure failure;
  failure.index = in.integer();
  failure.message = in.text();
  in.finish();
  return failure;
}

std::vector<std::byte> encode(const std::vector<std::string>& texts) {
  Writer out(Kind::texts);
  out.word(texts.size());
  for (const std::string& text : texts) out.text(text);
  return out.take();
}

std::vector<std::string> decode_texts(std::span<const std::byte> bytes) {
  Reader in(bytes, Kind::texts);
  std::vector<std::string> texts(in.count(8));
  for (std::string& text : texts) text = in.text();
  in.finish();
  return texts;
}

std::vector<std::byte> encode(std::span<const std::int64_t> indices) {
  Writer out(Kind::indices);
  out.array(indices);
  return out.take();
}

std::vector<std::int64_t> decode_indices(std::span<const std::byte> bytes) {
  Reader in(bytes, Kind::indices);
  std::vector<std::int64_t> indices = in.array<std::int64_t>();
  in.finish();
  return indices;
}

}  // namespace commons::mpi
