# SPDX-License-Identifier: Apache-2.0
# Fails when the checked-in scenario schema differs from the one the build makes from the
# models' descriptors. cmake -DGENERATED= -DCHECKED_IN= -P schema_in_step.cmake
file(READ "${GENERATED}" generated)
file(READ "${CHECKED_IN}" checked_in)
if(NOT generated STREQUAL checked_in)
  message(FATAL_ERROR
    "scenarios/schema/scenario.schema.json is out of step with the models' descriptors (${GENERATED} "
    "is what the build makes from them). After changing a model, run\n"
    "  cmake --build --preset release --target update_scenario_schema\n"
    "and commit the schema and docs/scenario-format.md it rewrites.")
endif()
