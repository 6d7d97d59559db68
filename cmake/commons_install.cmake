# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` puts where, and the CMake package that find_package(Commons) finds
# there (docs/cpp-api.md). Included at the end of the top-level CMakeLists.txt, once every
# target exists. The scenario schema is installed beside the variable that names it
# (tools/scenario/CMakeLists.txt).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(COMMONS_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Commons"
    CACHE STRING "Where the CMake package of Commons is installed, relative to the prefix")

# The libraries of the C++ API, each with the folder of its public headers (include/commons/<lib>).
# They are static: a consumer links their private dependencies too (CommonsConfig.cmake.in).
set(commons_installed_libraries sim models output scenario)
set(commons_public_headers_sim "${PROJECT_SOURCE_DIR}/sim/include/")
set(commons_public_headers_models "${PROJECT_SOURCE_DIR}/models/include/")
set(commons_public_headers_output "${PROJECT_SOURCE_DIR}/output/include/")
set(commons_public_headers_scenario "${PROJECT_SOURCE_DIR}/tools/scenario/include/")
list(TRANSFORM commons_installed_libraries PREPEND commons_ OUTPUT_VARIABLE commons_api_targets)

# The project's own static libraries that `target` links, directly or through one another,
# other than those of the API: a consumer needs them to link `target`, so they are installed
# and exported with it (their public headers must lie in its headers' folder).
function(commons_internal_libraries target result)
  set(found "")
  set(pending ${target})
  while(pending)
    list(POP_FRONT pending current)
    get_target_property(links ${current} LINK_LIBRARIES)
    foreach(link IN LISTS links)
      if(NOT TARGET "${link}")
        continue()
      endif()
      get_target_property(aliased "${link}" ALIASED_TARGET)
      if(aliased)
        set(link "${aliased}")
      endif()
      get_target_property(imported "${link}" IMPORTED)
      get_target_property(type "${link}" TYPE)
      if(imported OR NOT type STREQUAL "STATIC_LIBRARY" OR link IN_LIST commons_api_targets OR link IN_LIST found)
        continue()
      endif()
      list(APPEND found "${link}")
      list(APPEND pending "${link}")
    endforeach()
  endwhile()
  set(${result} "${found}" PARENT_SCOPE)
endfunction()

# A static library hands its private dependencies on as $<LINK_ONLY:...>, and a package must
# then export or find each of them, though a consumer links nothing of those that are only
# compile-time: the warnings target (which must not reach consumers) and the header-only JSON
# libraries of the loader. They are dropped from the libraries' interfaces here, which leaves
# the libraries' own compilation as it was. CMake 3.26 says this at the link line
# ($<BUILD_LOCAL_INTERFACE:...>); Debian 12 has 3.25.
function(commons_drop_compile_only_links target)
  get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
  foreach(dependency IN LISTS ARGN)
    list(REMOVE_ITEM links "$<LINK_ONLY:${dependency}>")
  endforeach()
  set_property(TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES "${links}")
endfunction()

foreach(library IN LISTS commons_installed_libraries)
  commons_internal_libraries(commons_${library} internal)
  foreach(target IN LISTS internal)
    if(DEFINED commons_exported_with_${target})
      message(FATAL_ERROR "${target} is linked by commons_${commons_exported_with_${target}} and "
                          "commons_${library}: make it a library of the API (cmake/commons_install.cmake)")
    endif()
    set(commons_exported_with_${target} ${library})
  endforeach()
  foreach(target IN ITEMS commons_${library} ${internal})
    commons_drop_compile_only_links(${target} commons::warnings nlohmann_json::nlohmann_json valijson)
    # Exported as commons::<name>, the name the ALIAS gives it in this build, so that code
    # linking it reads the same whether Commons is installed or a subdirectory.
    string(REGEX REPLACE "^commons_" "" name ${target})
    set_property(TARGET ${target} PROPERTY EXPORT_NAME ${name})
  endforeach()
  # One export set per library, so that find_package(Commons COMPONENTS sim) loads the engine
  # and finds the engine's dependencies only.
  install(TARGETS commons_${library} ${internal} EXPORT commons_${library}_targets
    ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
    LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
    RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}"
    INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
  install(DIRECTORY "${commons_public_headers_${library}}" DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
    FILES_MATCHING PATTERN "*.hpp")
  install(EXPORT commons_${library}_targets NAMESPACE commons::
    FILE commons_${library}_targets.cmake DESTINATION "${COMMONS_INSTALL_CMAKEDIR}")
  # The same package for the build tree, without installing: -DCommons_DIR=<build>/cmake.
  export(EXPORT commons_${library}_targets NAMESPACE commons::
    FILE "${PROJECT_BINARY_DIR}/cmake/commons_${library}_targets.cmake")
endforeach()

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/CommonsConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/install/CommonsConfig.cmake"
  INSTALL_DESTINATION "${COMMONS_INSTALL_CMAKEDIR}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/CommonsConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cmake/CommonsConfig.cmake"
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}/cmake" INSTALL_PREFIX "${PROJECT_BINARY_DIR}")
# Before 1.0 a minor version may change the API.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/cmake/CommonsConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/cmake/install/CommonsConfig.cmake"
              "${PROJECT_BINARY_DIR}/cmake/CommonsConfigVersion.cmake"
  DESTINATION "${COMMONS_INSTALL_CMAKEDIR}")

if(TARGET commons)
  install(TARGETS commons RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()
# Beside commons, where it looks for it when an MPI launcher started it (tools/cli/mpi_sweep.hpp).
if(TARGET commons-mpi)
  install(TARGETS commons-mpi RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
endif()

# The bundled scenarios and the example data beside them; the schema has its own place.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/scenarios/" DESTINATION "${CMAKE_INSTALL_DATADIR}/commons/scenarios"
  PATTERN schema EXCLUDE)

# README.md keeps its links to docs/*.md: the folders keep their relative places.
install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION "${CMAKE_INSTALL_DOCDIR}/docs"
  FILES_MATCHING PATTERN "*.md")

# The plot script and the results reader it imports, where an installed commons looks for them
# (tools/cli/commands.cpp, bundled()).
install(FILES "${PROJECT_SOURCE_DIR}/tools/python/plot_results.py" "${PROJECT_SOURCE_DIR}/tools/python/commons_results.py"
  DESTINATION "${CMAKE_INSTALL_DATADIR}/commons/python")
