// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/library_versions.hpp>

#include <Eigen/Core>
#include <boost/version.hpp>
#include <oneapi/tbb/version.h>

namespace commons::sim {

std::string library_versions() {
  constexpr int boost = BOOST_VERSION;
  return std::string("oneTBB ") + TBB_runtime_version() + "; Boost " + std::to_string(boost / 100000) + "." +
         std::to_string(boost / 100 % 1000) + "." + std::to_string(boost % 100) + "; Eigen " +
         std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION);
}

}  // namespace commons::sim
