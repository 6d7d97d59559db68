// SPDX-License-Identifier: Apache-2.0
#pragma once
/// \file
/// How a model file registers its models. Inside `namespace commons::models`,
///
///     COMMONS_REGISTER_MODELS(effort_cap) {
///       registry.add_rule(descriptor(), [](const sim::ComponentSpec& spec) { ... });
///     }
///
/// defines a function that puts the file's models into `registry`. register_models() calls
/// every such function: the build finds them in the sources of models/ (its CMakeLists.txt), so
/// that a new model is one new file and nothing else to edit (docs/extending.md).

#include <commons/sim/descriptor.hpp>
#include <commons/sim/registry.hpp>

#include <memory>

/// `id` must be unique among the library's models: a C++ identifier, by convention the file's
/// name.
#define COMMONS_REGISTER_MODELS(id) void register_models_##id(::commons::sim::Registry& registry)
