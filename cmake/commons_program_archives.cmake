# SPDX-License-Identifier: Apache-2.0
# The programs link the static archives Debian ships of HDF5, yaml-cpp and libcrypto instead of
# their shared objects (COMMONS_STATIC_PROGRAM; docs/performance.md, "Start-up"). The loader
# maps and relocates every shared object at every start, and HDF5's brings libcurl and two dozen
# libraries behind it (GnuTLS, Kerberos, LDAP, ...) for a driver Commons never uses; from the
# archives only the objects Commons calls are linked, and they need none of those.
#
# Commons' static libraries hand these dependencies on to whatever links them. A target with
# the property COMMONS_LINK_ARCHIVES set (the programs, tools/cli) gets the archives in their
# place; every other one (tests, the Python module, which shares the process with h5py's HDF5,
# an installed package's consumers) the shared objects as before. Included by the top-level
# CMakeLists.txt once the libraries exist.
if(NOT COMMONS_STATIC_PROGRAM)
  return()
endif()

# An INTERFACE target `name` of the archive `file` and what it needs, or nothing when the
# archive is not installed.
function(commons_archive name file)
  if(NOT EXISTS "${file}")
    return()
  endif()
  add_library(${name} INTERFACE)
  target_link_libraries(${name} INTERFACE "${file}" ${ARGN})
endfunction()

get_filename_component(commons_hdf5_dir "${HDF5_C_LIBRARY_hdf5}" DIRECTORY)
find_library(COMMONS_HDF5_ARCHIVE libhdf5.a HINTS "${commons_hdf5_dir}" NO_DEFAULT_PATH)
find_library(COMMONS_HDF5_HL_ARCHIVE libhdf5_hl.a HINTS "${commons_hdf5_dir}" NO_DEFAULT_PATH)
find_library(COMMONS_YAML_CPP_ARCHIVE libyaml-cpp.a)
find_library(COMMONS_CRYPTO_ARCHIVE libcrypto.a)
# HDF5's high-level archive, then HDF5's own, which needs its compression filters and the C
# library's maths besides: one target in that order for both libraries.
if(EXISTS "${COMMONS_HDF5_ARCHIVE}")
  commons_archive(commons_hdf5_archive "${COMMONS_HDF5_HL_ARCHIVE}" "${COMMONS_HDF5_ARCHIVE}" ${HDF5_C_LIBRARY_sz}
                  ${HDF5_C_LIBRARY_z} m)
endif()
commons_archive(commons_yaml_cpp_archive "${COMMONS_YAML_CPP_ARCHIVE}")
commons_archive(commons_crypto_archive "${COMMONS_CRYPTO_ARCHIVE}")

# In `library`'s interface, `imported` becomes `archive` for targets that ask for archives.
# Installed packages keep naming `imported`.
function(commons_archive_for_programs library imported archive)
  if(NOT TARGET ${archive})
    return()
  endif()
  get_target_property(links ${library} INTERFACE_LINK_LIBRARIES)
  list(FIND links "$<LINK_ONLY:${imported}>" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${library} no longer links ${imported}: update cmake/commons_program_archives.cmake")
  endif()
  set(chosen "$<IF:$<BOOL:$<TARGET_PROPERTY:COMMONS_LINK_ARCHIVES>>,${archive},${imported}>")
  list(REMOVE_AT links ${at})
  list(INSERT links ${at} "$<LINK_ONLY:$<BUILD_INTERFACE:${chosen}>$<INSTALL_INTERFACE:${imported}>>")
  set_property(TARGET ${library} PROPERTY INTERFACE_LINK_LIBRARIES "${links}")
endfunction()

commons_archive_for_programs(commons_output hdf5::hdf5 commons_hdf5_archive)
commons_archive_for_programs(commons_output hdf5::hdf5_hl commons_hdf5_archive)
commons_archive_for_programs(commons_output OpenSSL::Crypto commons_crypto_archive)
commons_archive_for_programs(commons_scenario yaml-cpp commons_yaml_cpp_archive)
