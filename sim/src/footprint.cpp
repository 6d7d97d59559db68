// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/footprint.hpp>

#include <commons/sim/executor.hpp>

#include <commons/sim/network_generators.hpp>
#include <commons/sim/run.hpp>

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <cmath>
#include <exception>
#include <fstream>

namespace commons::sim {
namespace {

// Worlds of up to this many agents are measured whole; larger ones are extrapolated from two
// worlds of about half and this many agents.
constexpr std::int64_t measured_agents = 8192;
// Finished runs larger than this wait for the writer one at a time.
constexpr std::uint64_t large_result = std::uint64_t{16} << 20;
// Bytes per agent of the agent table alone (AgentTable: eight columns of doubles, id and
// group): the floor when a small world cannot be built. A governed world holds a governance
// ledger besides, which the measured worlds count.
constexpr std::uint64_t agent_table_bytes = 8 * sizeof(double) + sizeof(std::uint64_t) + sizeof(std::uint32_t);

/// Heap bytes in use, mapped blocks included.
std::uint64_t heap_in_use() {
  const struct mallinfo2 info = ::mallinfo2();
  return static_cast<std::uint64_t>(info.uordblks) + static_cast<std::uint64_t>(info.hblkhd);
}

std::uint64_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0;
  std::uint64_t resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

/// `spec` with about `agents` agents, each group in proportion (at least one agent), without
/// the parts counted from their sizes instead: the network and the per-agent output.
ScenarioSpec scaled(const ScenarioSpec& spec, std::int64_t agents) {
  ScenarioSpec small = spec;
  small.variants.clear();
  small.network = {};
  small.output.agents = false;
  const double factor = static_cast<double>(agents) / static_cast<double>(std::max<std::int64_t>(1, spec.agent_count()));
  for (GroupSpec& group : small.groups)
    group.count = std::max<std::int64_t>(1, std::llround(static_cast<double>(group.count) * factor));
  return small;
}

/// Heap bytes a world of `spec` holds after it is built and has made one step (rules and
/// behaviours allocate some of their state when they first act).
std::uint64_t world_bytes(const ScenarioSpec& spec, const Registry& registry) {
  const std::uint64_t before = heap_in_use();
  Run run(spec, registry, RunTask{0, 0, spec.seed}, ExecutionPolicy{false});
  if (!run.done()) run.step();
  const std::uint64_t after = heap_in_use();
  return after > before ? after - before : 0;
}

/// What one run of a variant holds (the per-run fields of MemoryEstimate).
MemoryEstimate estimate_variant(const ScenarioSpec& spec, const Registry& registry, AgentOutput agent_output) {
  MemoryEstimate memory;
  const std::int64_t n = spec.agent_count();
  const auto steps = static_cast<std::uint64_t>(std::max<std::int64_t>(spec.steps, 0));
  const RunLayout layout = describe_run(spec, registry);
  const std::uint64_t series = layout.series.size() * steps * sizeof(double);
  try {
    if (n <= measured_agents) {
      memory.world = world_bytes(scaled(spec, n), registry);
      memory.agents = memory.world;
    } else {
      const ScenarioSpec half = scaled(spec, measured_agents / 2);
      const ScenarioSpec full = scaled(spec, measured_agents);
      const std::uint64_t small_world = world_bytes(half, registry);
      const std::uint64_t large_world = world_bytes(full, registry);
      const double per_agent = static_cast<double>(large_world > small_world ? large_world - small_world : 0) /
                               static_cast<double>(full.agent_count() - half.agent_count());
      const double fixed = std::max(0.0, static_cast<double>(small_world) - per_agent * static_cast<double>(half.agent_count()));
      memory.agents = static_cast<std::uint64_t>(per_agent * static_cast<double>(n));
      memory.world = static_cast<std::uint64_t>(fixed) + memory.agents;
    }
  } catch (const std::exception&) {
    // A world that cannot be built small (a file scripting agents beyond the small cohort):
    // the agent table alone, which every world has.
    memory.agents = agent_table_bytes * static_cast<std::uint64_t>(n);
    memory.world = memory.agents;
  }
  // Never below the agent table, which every world has; also where the heap cannot be read
  // (a sanitizer's allocator keeps its own books).
  memory.agents = std::max(memory.agents, agent_table_bytes * static_cast<std::uint64_t>(n));
  memory.world = std::max(memory.world, memory.agents);
  if (spec.network.present())
    memory.network = network_bytes_estimate(spec.network, static_cast<std::size_t>(n));
  if (spec.output.agents) {
    const std::uint64_t recorded_steps = steps / static_cast<std::uint64_t>(layout.agent_interval);
    memory.agent_output = layout.agent_variables.size() * recorded_steps * layout.agent_ids.size() * sizeof(double);
    // Streamed, a run holds the piece it gathers; the pieces waiting for the writer are
    // counted among the results waiting.
    if (agent_output == AgentOutput::streamed)
      memory.agent_output = std::min<std::uint64_t>(memory.agent_output,
                                                    layout.agent_variables.size() * agent_piece_bytes);
  }
  // Per-site output grows with the grid, not the agents: a 1000 x 1000 forest sampled every
  // step holds 24 MB per step and run.
  const std::uint64_t site_output = layout.site_variables.size() * (steps / static_cast<std::uint64_t>(layout.site_interval)) *
                                    layout.sites.count * sizeof(double);
  memory.result = series + memory.agent_output + site_output;
  return memory;
}

// The specs whose worlds bound the plan's: every variant, and in a sweep the point with the
// most agents as well.
std::vector<std::shared_ptr<const ScenarioSpec>> bounding_specs(const ScenarioSpec& spec) {
  std::vector<std::shared_ptr<const ScenarioSpec>> specs;
  for (std::int64_t v = 0; v < spec.variant_count(); ++v)
    specs.emplace_back(std::shared_ptr<const ScenarioSpec>{}, &spec.variant_spec(v));
  if (spec.sweep && spec.sweep->specs) specs.push_back(spec.sweep->specs->largest());
  return specs;
}

}  // namespace

std::int64_t queue_capacity_for(const ScenarioSpec& spec, int threads, AgentOutput agent_output) {
  std::uint64_t largest = 0;
  if (agent_output == AgentOutput::streamed) return 2 * static_cast<std::int64_t>(std::max(threads, 1)) + 2;
  for (const auto& bounding : bounding_specs(spec)) {
    const ScenarioSpec& variant = *bounding;
    if (variant.output.agents)
      largest = std::max(largest, 3 * static_cast<std::uint64_t>(std::max<std::int64_t>(variant.steps, 0) /
                                                                   variant.output.agent_interval) *
                                      static_cast<std::uint64_t>((variant.agent_count() + variant.output.agent_stride - 1) /
                                                                 variant.output.agent_stride) *
                                      sizeof(double));
  }
  return largest > large_result ? 1 : 2 * static_cast<std::int64_t>(std::max(threads, 1)) + 2;
}

MemoryEstimate estimate_memory(const ScenarioSpec& spec, const Registry& registry, int threads,
                               std::int64_t queue_capacity, AgentOutput agent_output) {
  MemoryEstimate estimate;
  estimate.base = resident_bytes();
  for (const auto& bounding : bounding_specs(spec)) {
    const MemoryEstimate variant = estimate_variant(*bounding, registry, agent_output);
    estimate.world = std::max(estimate.world, variant.world);
    estimate.agents = std::max(estimate.agents, variant.agents);
    estimate.network = std::max(estimate.network, variant.network);
    estimate.result = std::max(estimate.result, variant.result);
    estimate.agent_output = std::max(estimate.agent_output, variant.agent_output);
  }
  const std::int64_t runs = plan_size(spec);
  estimate.runs_at_once = std::min<std::int64_t>(std::max(threads, 1), runs);
  // Finished runs in the queue and the one the writer holds, never more than the other runs.
  estimate.results_waiting = std::min<std::int64_t>(queue_capacity + 1, std::max<std::int64_t>(runs - 1, 0));
  estimate.total = estimate.base +
                   static_cast<std::uint64_t>(estimate.runs_at_once) *
                       (estimate.world + estimate.network + estimate.result) +
                   static_cast<std::uint64_t>(estimate.results_waiting) * estimate.result;
  return estimate;
}

}  // namespace commons::sim
