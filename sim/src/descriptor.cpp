// SPDX-License-Identifier: Apache-2.0
#include <commons/sim/descriptor.hpp>

#include <algorithm>

namespace commons::sim {

const ParameterInfo* ModelDescriptor::parameter(std::string_view parameter_name) const {
  const auto found = std::find_if(parameters.begin(), parameters.end(),
                                  [&](const ParameterInfo& known) { return known.name == parameter_name; });
  return found == parameters.end() ? nullptr : &*found;
}

}  // namespace commons::sim
