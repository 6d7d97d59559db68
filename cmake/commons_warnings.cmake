# SPDX-License-Identifier: Apache-2.0
# Warnings travel through an INTERFACE target so every Commons target gets the same set
# without directory-wide flags leaking into consumers.
add_library(commons_warnings INTERFACE)
add_library(commons::warnings ALIAS commons_warnings)
target_compile_options(commons_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion>
  $<$<AND:$<CXX_COMPILER_ID:GNU,Clang>,$<BOOL:${COMMONS_WERROR}>>:-Werror>)
# GCC 12 at -O3 reports impossible overlaps in std::string concatenation (GCC bug 105329,
# -Wrestrict false positives inside <bits/char_traits.h>); the Release build would not compile.
target_compile_options(commons_warnings INTERFACE
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)
