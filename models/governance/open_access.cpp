// SPDX-License-Identifier: Apache-2.0
#include <commons/models/governance/open_access.hpp>

namespace commons::models {

void register_open_access(sim::Registry& registry) { registry.add_regime("open_access", {}); }

}  // namespace commons::models
