# SPDX-License-Identifier: Apache-2.0
# The shared libraries `commons` must not load at start (docs/performance.md, "Start-up"): Open
# MPI's (commons-mpi links them and takes over under a launcher) and, where the program links
# their archives, HDF5's, yaml-cpp's and libcrypto's. Run as
#   cmake -DREADELF=... -DPROGRAM=... -DABSENT=libmpi,libhdf5 -P program_libraries.cmake
execute_process(COMMAND "${READELF}" --dynamic "${PROGRAM}" OUTPUT_VARIABLE dynamic RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "${READELF} --dynamic ${PROGRAM} failed")
endif()
string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*" needed "${dynamic}")
string(REPLACE "," ";" absent "${ABSENT}")
foreach(library IN LISTS absent)
  foreach(line IN LISTS needed)
    if(line MATCHES "\\[${library}[._-]")
      message(FATAL_ERROR "${PROGRAM} loads ${library}: ${line}")
    endif()
  endforeach()
endforeach()
list(LENGTH needed count)
message(STATUS "${PROGRAM} loads ${count} libraries directly, none of: ${ABSENT}")
