// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// Versions of the libraries the engine's results depend on, for provenance.

#include <string>

namespace commons::sim {

/// The engine's libraries and their versions as the program runs them, e.g.
/// "oneTBB 2021.8.0; Boost 1.74.0; Eigen 3.4.0" (oneTBB's is the runtime library's own).
[[nodiscard]] std::string library_versions();

}  // namespace commons::sim
