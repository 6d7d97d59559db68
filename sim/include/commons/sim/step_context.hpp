// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// What a phase may read about the step it runs in.

#include <commons/sim/observation.hpp>
#include <commons/sim/parallel.hpp>
#include <commons/sim/random.hpp>
#include <commons/sim/spec.hpp>

#include <cstdint>

namespace commons::sim {

struct StepContext {
  /// Zero-based step index.
  std::int64_t step = 0;
  const RandomStream& random;
  const Economics& economics;
  /// The resource as it stood at the start of this step.
  const Observation& observation;
  const ExecutionPolicy& policy;
};

}  // namespace commons::sim
