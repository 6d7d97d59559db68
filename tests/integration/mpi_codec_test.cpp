// SPDX-License-Identifier: Apache-2.0
// Finished runs travel from the rank that ran them to rank 0 as bytes: decoding gives back every
// field bit for bit, and bytes that are not an encoding are refused, never misread.

#include <commons/models/register_models.hpp>
#include <commons/mpi/protocol.hpp>
#include <commons/mpi/run_codec.hpp>
#include <commons/sim/executor.hpp>

#include <fishery_spec.hpp>

#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <limits>

namespace commons {
namespace {

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

bool same_info(const sim::VariableInfo& a, const sim::VariableInfo& b) {
  return a.name == b.name && a.units == b.units && a.description == b.description &&
         a.governance_cost == b.governance_cost;
}

void expect_equal(const sim::RunResult& a, const sim::RunResult& b) {
  EXPECT_EQ(a.task.index, b.task.index);
  EXPECT_EQ(a.task.replicate, b.task.replicate);
  EXPECT_EQ(a.task.seed, b.task.seed);
  EXPECT_EQ(a.task.variant, b.task.variant);
  EXPECT_TRUE(same_bits(a.task.factors, b.task.factors));
  EXPECT_EQ(a.task.design_point, b.task.design_point);
  EXPECT_EQ(a.task.policy, b.task.policy);
  EXPECT_EQ(a.task.stream, b.task.stream);
  EXPECT_EQ(a.task.layout, b.task.layout);
  EXPECT_EQ(a.steps, b.steps);
  ASSERT_EQ(a.series.size(), b.series.size());
  for (std::size_t i = 0; i < a.series.size(); ++i) {
    EXPECT_TRUE(same_info(a.series[i].info, b.series[i].info)) << a.series[i].info.name;
    EXPECT_TRUE(same_bits(a.series[i].values, b.series[i].values)) << a.series[i].info.name;
  }
  for (const auto& [x, y] : {std::pair{&a.summary, &b.summary}, std::pair{&a.references, &b.references}}) {
    ASSERT_EQ(x->size(), y->size());
    for (std::size_t i = 0; i < x->size(); ++i) {
      EXPECT_TRUE(same_info((*x)[i].info, (*y)[i].info)) << (*x)[i].info.name;
      EXPECT_EQ(std::bit_cast<std::uint64_t>((*x)[i].value), std::bit_cast<std::uint64_t>((*y)[i].value))
          << (*x)[i].info.name;
    }
  }
  EXPECT_EQ(a.agent_ids, b.agent_ids);
  EXPECT_EQ(a.agent_rows_streamed, b.agent_rows_streamed);
  ASSERT_EQ(a.sites.size(), b.sites.size());
  for (std::size_t i = 0; i < a.sites.size(); ++i) {
    EXPECT_TRUE(same_info(a.sites[i].info, b.sites[i].info));
    EXPECT_TRUE(same_bits(a.sites[i].values, b.sites[i].values));
  }
  ASSERT_EQ(a.agents.size(), b.agents.size());
  for (std::size_t i = 0; i < a.agents.size(); ++i) {
    EXPECT_TRUE(same_info(a.agents[i].info, b.agents[i].info));
    EXPECT_TRUE(same_bits(a.agents[i].values, b.agents[i].values));
  }
  EXPECT_EQ(a.degree_counts, b.degree_counts);
}

sim::VariableInfo info(std::string name, bool governance_cost = false) {
  return {std::move(name), "money / t", "a description with UTF-8: \xc3\xa9t\xc3\xa9", governance_cost};
}

// Every field set to something no default has: NaNs with payloads, signed zeros, infinities,
// the largest integers, empty and non-empty vectors.
sim::RunResult unusual() {
  sim::RunResult result;
  result.task = {7, 3, (std::uint64_t{1} << 53) - 1, 2, {0.25, -0.0, 2.0}, 11, 1, 0xfedcba9876543210, 4};
  result.steps = 3;
  const double payload_nan = std::bit_cast<double>(std::uint64_t{0x7ff8'0000'dead'beef});
  result.series = {{info("stock"), {1.5, payload_nan, -std::numeric_limits<double>::infinity()}},
                   {info("empty"), {}}};
  result.summary = {{info("rent"), -0.0}, {info("collapse_step"), std::numeric_limits<double>::quiet_NaN()}};
  result.references = {{info("msy_stock", true), 500.0}};
  result.agent_ids = {5, 9, std::numeric_limits<std::uint64_t>::max()};
  result.agents = {{info("effort"), std::vector<double>(9, std::numeric_limits<double>::denorm_min())}};
  result.sites = {{info("stock"), {-0.0, std::numeric_limits<double>::infinity(), 1.5}}, {info("harvest"), {}}};
  result.agent_rows_streamed = 7;
  result.degree_counts = {0, 3, 0, 1};
  return result;
}

TEST(RunCodec, UnusualResult_DecodesToTheSameBits) {
  const sim::RunResult result = unusual();
  expect_equal(mpi::decode_result(mpi::encode(result)), result);
}

TEST(RunCodec, RunOfTheEngine_DecodesToTheSameBits) {
  testing::FisheryParameters p;
  p.observation_noise = 0.2;
  auto spec = testing::fishery_scenario(p, testing::fleet(0.25, 0.0005, 10.0), 50, 40, 2, 314);
  spec.output.agents = true;
  const sim::Registry& registry = models::default_registry();
  const sim::RunResult result = sim::run_task(spec, registry, sim::plan_info(spec, registry).tasks[1]);
  ASSERT_FALSE(result.agents.empty());
  expect_equal(mpi::decode_result(mpi::encode(result)), result);
}

TEST(RunCodec, CutShortOrLonger_IsRefused) {
  const std::vector<std::byte> bytes = mpi::encode(unusual());
  for (const std::size_t length : {std::size_t{0}, std::size_t{7}, std::size_t{8}, bytes.size() / 2, bytes.size() - 1})
    EXPECT_THROW((void)mpi::decode_result(std::span(bytes).first(length)), mpi::CodecError) << length;
  std::vector<std::byte> longer = bytes;
  longer.push_back(std::byte{0});
  EXPECT_THROW((void)mpi::decode_result(longer), mpi::CodecError);
}

TEST(RunCodec, CountBeyondTheMessage_IsRefusedWithoutAllocating) {
  std::vector<std::byte> bytes = mpi::encode(std::vector<std::string>{"a"});
  // The count of texts, right after the kind: claim 2^62 of them.
  bytes[15] = std::byte{0x40};
  EXPECT_THROW((void)mpi::decode_texts(bytes), mpi::CodecError);
}

TEST(RunCodec, MessageOfAnotherKind_IsRefused) {
  const std::vector<std::byte> failure = mpi::encode(mpi::RunFailure{3, "std::bad_alloc"});
  EXPECT_THROW((void)mpi::decode_result(failure), mpi::CodecError);
  const mpi::RunFailure decoded = mpi::decode_failure(failure);
  EXPECT_EQ(decoded.index, 3);
  EXPECT_EQ(decoded.message, "std::bad_alloc");
}

TEST(RunCodec, GreetingAndNumbers_RoundTrip) {
  const mpi::Greeting greeting{std::string(64, 'f'), "0.1.0 (abc, clean)", "node7", 4242, ""};
  const mpi::Greeting decoded = mpi::decode_greeting(mpi::encode(greeting));
  EXPECT_EQ(decoded.fingerprint, greeting.fingerprint);
  EXPECT_EQ(decoded.build, greeting.build);
  EXPECT_EQ(decoded.host, greeting.host);
  EXPECT_EQ(decoded.pid, greeting.pid);
  EXPECT_EQ(decoded.error, "");
  EXPECT_EQ(mpi::decode_number(mpi::encode_number(-143)), -143);
  const std::vector<std::int64_t> indices{0, 5, 1 << 30};
  EXPECT_EQ(mpi::decode_indices(mpi::encode(std::span<const std::int64_t>(indices))), indices);
}

}  // namespace
}  // namespace commons
