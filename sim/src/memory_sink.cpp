// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/sink.hpp>

#include <stdexcept>

namespace commons::sim {

void MemorySink::begin(const PlanInfo& plan) {
  plan_ = plan;
  results_.assign(plan.tasks.size(), RunResult{});
  failures_.clear();
  finished_ = false;
}

void MemorySink::fail(const RunTask& task, const std::string& message) { failures_[task.index] = message; }

void MemorySink::consume(RunResult&& result) {
  const auto index = static_cast<std::size_t>(result.task.index);
  if (index >= results_.size()) throw std::out_of_range("run index outside the plan");
  results_[index] = std::move(result);
}

}  // namespace commons::sim
