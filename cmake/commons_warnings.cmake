# SPDX-License-Identifier: Apache-2.0
# Warnings travel through an INTERFACE target so every Commons target gets the same set
# without directory-wide flags leaking into consumers.
add_library(commons_warnings INTERFACE)
add_library(commons::warnings ALIAS commons_warnings)
target_compile_options(commons_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>
  $<$<AND:$<CXX_COMPILER_ID:GNU,Clang>,$<BOOL:${COMMONS_WERROR}>>:-Werror>)
