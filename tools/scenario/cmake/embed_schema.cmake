# SPDX-License-Identifier: Apache-2.0
# Writes the scenario schema into a C++ source as a raw string literal, so the program finds
# it without the source tree. Run at build time: cmake -DINPUT= -DTEMPLATE= -DOUTPUT= -P ...
file(READ "${INPUT}" COMMONS_SCHEMA_TEXT)
string(FIND "${COMMONS_SCHEMA_TEXT}" ")commons_schema\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )commons_schema\"")
endif()
# configure_file leaves OUTPUT untouched when the text is unchanged, so nothing recompiles.
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
