# SPDX-License-Identifier: Apache-2.0
# Run at every build (cmake -P): writes OUTPUT, a header naming the commit the sources are at
# and whether they had uncommitted changes, for the provenance results files carry. The header
# is rewritten only when that changes, so an unchanged tree rebuilds nothing.
#   -DSOURCE_DIR=... -DOUTPUT=... [-DGIT_EXECUTABLE=...]
set(commit "unknown")
set(tree "unknown")
if(GIT_EXECUTABLE AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse HEAD
    WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE head RESULT_VARIABLE head_status
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  execute_process(COMMAND "${GIT_EXECUTABLE}" status --porcelain
    WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE changes RESULT_VARIABLE status_status
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(head_status EQUAL 0)
    set(commit "${head}")
  endif()
  if(status_status EQUAL 0)
    if(changes STREQUAL "")
      set(tree "clean")
    else()
      set(tree "modified")
    endif()
  endif()
endif()
set(text "// Generated at build time by cmake/source_state.cmake.
#pragma once

namespace commons::cli {

inline constexpr const char* git_commit = \"${commit}\";
/// \"clean\", \"modified\" (uncommitted changes when the program was built) or \"unknown\".
inline constexpr const char* source_tree = \"${tree}\";

}  // namespace commons::cli
")
file(WRITE "${OUTPUT}.new" "${text}")
file(COPY_FILE "${OUTPUT}.new" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.new")
