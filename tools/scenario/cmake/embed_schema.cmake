# SPDX-License-Identifier: Apache-2.0
# Writes the scenario schema and its lean form into a C++ source as raw string literals, so the
# program finds them without the source tree. Run at build time:
#   cmake -DINPUT= -DLEAN_INPUT= -DTEMPLATE= -DOUTPUT= -P ...
# Each text is cut at line ends into pieces of at most 16000 bytes: C++ compilers need only
# accept string literals of 65536 characters (clang's -Woverlength-strings enforces it), and
# the schema is longer than that.
function(commons_schema_pieces input result)
  file(READ "${input}" schema)
  string(FIND "${schema}" ")commons_schema\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${input} contains the raw-string delimiter )commons_schema\"")
  endif()
  set(pieces "")
  set(rest "${schema}")
  string(LENGTH "${rest}" left)
  while(left GREATER 0)
    if(left GREATER 16000)
      string(SUBSTRING "${rest}" 0 16000 head)
      string(FIND "${head}" "\n" cut REVERSE)
      if(cut EQUAL -1)
        message(FATAL_ERROR "${input} has a line longer than 16000 bytes")
      endif()
      math(EXPR cut "${cut} + 1")
    else()
      set(cut ${left})
    endif()
    string(SUBSTRING "${rest}" 0 ${cut} piece)
    string(SUBSTRING "${rest}" ${cut} -1 rest)
    string(APPEND pieces "    R\"commons_schema(${piece})commons_schema\",\n")
    string(LENGTH "${rest}" left)
  endwhile()
  set(${result} "${pieces}" PARENT_SCOPE)
endfunction()

commons_schema_pieces("${INPUT}" COMMONS_SCHEMA_PIECES)
commons_schema_pieces("${LEAN_INPUT}" COMMONS_LEAN_SCHEMA_PIECES)
# configure_file leaves OUTPUT untouched when the text is unchanged, so nothing recompiles.
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
