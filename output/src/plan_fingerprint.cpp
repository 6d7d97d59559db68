// SPDX-License-Identifier: Apache-2.0
// The plan fingerprint: SHA-256 of a canonical serialisation of everything that decides a
// results file's layout and its runs' values, so that a file can be resumed only by the plan it
// was laid out for (docs/results-format.md#resuming).
//
// The serialisation is fixed, byte by byte, so that the same plan gives the same digest on any
// machine and with any compiler: integers as 64-bit little-endian words (signed ones in two's
// complement), doubles as their IEEE-754 bits in such a word with every NaN as the one quiet NaN
// 0x7ff8000000000000 (a NaN's sign and payload depend on the processor that made it), strings and
// lists as their length followed by their items, optional values as a word 0 or 1 followed by
// the value. Changing it changes every fingerprint, and partial files written before can then no
// longer be resumed: bump the tag when that is intended.
#include <commons/output/hdf5_sink.hpp>

#include <commons/output/output_error.hpp>

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace commons::output {
namespace {

class CanonicalDigest {
 public:
  CanonicalDigest() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
      throw OutputError("", "cannot start a SHA-256 digest");
  }

  void word(std::uint64_t value) {
    std::array<unsigned char, 8> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(value >> (8 * i));
    put(bytes.data(), bytes.size());
  }
  void integer(std::int64_t value) { word(static_cast<std::uint64_t>(value)); }
  void number(double value) {
    word(std::isnan(value) ? std::uint64_t{0x7ff8000000000000} : std::bit_cast<std::uint64_t>(value));
  }
  void text(std::string_view value) {
    word(value.size());
    put(reinterpret_cast<const unsigned char*>(value.data()), value.size());
  }
  void texts(const std::vector<std::string>& values) {
    word(values.size());
    for (const std::string& value : values) text(value);
  }
  void numbers(const std::vector<double>& values) {
    word(values.size());
    for (const double value : values) number(value);
  }
  void variables(const std::vector<sim::VariableInfo>& infos) {
    word(infos.size());
    for (const sim::VariableInfo& info : infos) {
      text(info.name);
      text(info.units);
      text(info.description);
      word(info.governance_cost ? 1 : 0);
    }
  }

  [[nodiscard]] std::string hex() {
    flush();
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1)
      throw OutputError("", "cannot finish a SHA-256 digest");
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out += digits[digest[i] >> 4U];
      out += digits[digest[i] & 15U];
    }
    return out;
  }

 private:
  // Words are gathered and handed to OpenSSL in blocks: a plan can have millions of runs.
  void put(const unsigned char* data, std::size_t size) {
    while (size > 0) {
      const std::size_t taken = std::min(size, buffer_.size() - used_);
      std::copy(data, data + taken, buffer_.begin() + static_cast<std::ptrdiff_t>(used_));
      used_ += taken;
      data += taken;
      size -= taken;
      if (used_ == buffer_.size()) flush();
    }
  }
  void flush() {
    if (used_ > 0 && EVP_DigestUpdate(context_.get(), buffer_.data(), used_) != 1)
      throw OutputError("", "cannot update a SHA-256 digest");
    used_ = 0;
  }

  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context_;
  std::array<unsigned char, 1 << 16> buffer_{};
  std::size_t used_ = 0;
};

}  // namespace

std::string Hdf5Sink::plan_fingerprint(const sim::PlanInfo& plan) {
  CanonicalDigest digest;
  digest.text("commons plan fingerprint 1");
  digest.text(plan.scenario_name);
  digest.text(plan.scenario_text);
  digest.integer(plan.steps);
  digest.integer(plan.agents);

  // By index, so that the order the plan lists its runs in does not matter (the file does not
  // depend on it either).
  std::vector<const sim::RunTask*> tasks;
  tasks.reserve(plan.tasks.size());
  for (const sim::RunTask& task : plan.tasks) tasks.push_back(&task);
  std::stable_sort(tasks.begin(), tasks.end(),
                   [](const sim::RunTask* a, const sim::RunTask* b) { return a->index < b->index; });
  digest.word(tasks.size());
  for (const sim::RunTask* task : tasks) {
    digest.integer(task->index);
    digest.integer(task->replicate);
    digest.word(task->seed);
    digest.integer(task->variant);
    digest.integer(task->design_point);
    digest.integer(task->policy);
    digest.word(task->stream);
    digest.numbers(task->factors);
  }

  digest.texts(plan.variants);
  digest.word(plan.layouts.size());
  for (const sim::RunLayout& layout : plan.layouts) {
    digest.variables(layout.series);
    digest.variables(layout.summary);
    digest.variables(layout.references);
    digest.variables(layout.agent_variables);
    digest.word(layout.agent_ids.size());
    for (const std::uint64_t id : layout.agent_ids) digest.word(id);
    // Only when sampled less often than every step, so that other plans keep their fingerprints.
    if (layout.agent_interval != 1) {
      digest.text("agent_interval");
      digest.word(static_cast<std::uint64_t>(layout.agent_interval));
    }
    // Only with sites, so that a plan without keeps the fingerprint it had before sites existed.
    if (!layout.site_variables.empty()) {
      digest.text("sites");
      digest.variables(layout.site_variables);
      digest.word(static_cast<std::uint64_t>(layout.sites.kind));
      digest.word(layout.sites.rows);
      digest.word(layout.sites.columns);
      digest.word(layout.sites.count);
      for (const std::size_t offset : layout.sites.offsets) digest.word(offset);
      for (const std::uint32_t site : layout.sites.neighbours) digest.word(site);
      // Only when sampled less often than every step, for the same reason.
      if (layout.site_interval != 1) {
        digest.text("site_interval");
        digest.word(static_cast<std::uint64_t>(layout.site_interval));
      }
    }
    digest.word(layout.max_degree ? 1 : 0);
    if (layout.max_degree) digest.word(*layout.max_degree);
  }

  // The files the scenario names decide results as much as its text does; where they were read
  // from does not (`location`), so a moved directory still resumes.
  digest.word(plan.attachments.size());
  for (const sim::Attachment& attachment : plan.attachments) {
    digest.text(attachment.pointer);
    digest.text(attachment.path);
    digest.text(attachment.bytes);
  }

  digest.word(plan.sweep ? 1 : 0);
  if (plan.sweep) {
    const sim::SweepInfo& sweep = *plan.sweep;
    digest.text(sweep.design);
    digest.integer(sweep.points);
    digest.integer(sweep.policies);
    digest.integer(sweep.replicates);
    digest.integer(sweep.samples);
    digest.integer(sweep.grid_levels);
    digest.integer(sweep.group_size);
    digest.word(sweep.factors.size());
    for (const sim::FactorInfo& factor : sweep.factors) {
      digest.text(factor.path);
      digest.text(factor.role);
      digest.texts(factor.labels);
      digest.text(factor.description);
    }
    digest.numbers(sweep.unit);
  }
  return digest.hex();
}

}  // namespace commons::output
