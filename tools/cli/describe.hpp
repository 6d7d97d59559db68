// SPDX-License-Identifier: Apache-2.0
#pragma once
// `commons describe`: what the registry knows of its models, for users (docs/cli.md#describe).

#include "exit_codes.hpp"

#include <commons/sim/registry.hpp>

#include <iosfwd>
#include <string>

namespace commons::cli {

/// With an empty `model`, every resource, behaviour, rule and regime with its one-line summary;
/// with a name, that model's parameters, the variables it records, what it can do and when it
/// acts; with `schema`, the scenario JSON Schema made from the registry. An unknown name is a
/// usage error naming the closest known one.
ExitCode describe_command(const sim::Registry& registry, const std::string& model, bool schema, std::ostream& out);

}  // namespace commons::cli
