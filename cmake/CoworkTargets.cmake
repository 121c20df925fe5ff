# Helpers shared by every CMakeLists in the tree.

# Warnings for our own code (dependencies are system headers: no noise).
add_library(cowork_warnings INTERFACE)
target_compile_options(cowork_warnings INTERFACE -Wall -Wextra -Wno-missing-field-initializers)

# cowork_add_tests(NAME <target> SOURCES <...> LIBS <...> [PROPERTIES ...])
# Tests see COWORK_BUILD_OUT (<build>/out) and COWORK_SOURCE_DIR.
# One GoogleTest executable, discovered by ctest at test time.
function(cowork_add_tests)
  cmake_parse_arguments(T "" "NAME;WORKING_DIRECTORY" "SOURCES;LIBS;PROPERTIES" ${ARGN})
  if(NOT COWORK_BUILD_TESTS)
    return()
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} cowork_warnings GTest::gtest GTest::gtest_main)
  set_target_properties(${T_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  if(NOT T_WORKING_DIRECTORY)
    set(T_WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  endif()
  # Two single-valued variables (gtest_discover_tests in CMake 3.25 splits
  # list-valued properties): where the build output and the sources are.
  gtest_discover_tests(${T_NAME} DISCOVERY_MODE PRE_TEST WORKING_DIRECTORY ${T_WORKING_DIRECTORY}
                       PROPERTIES ENVIRONMENT "COWORK_BUILD_OUT=${COWORK_OUT}"
                                  ENVIRONMENT_MODIFICATION "COWORK_SOURCE_DIR=set:${CMAKE_SOURCE_DIR}"
                                  ${T_PROPERTIES})
endfunction()

# cowork_bundled_plugin(<target> <dir-with-manifest>)
# Places the .so and its manifest under out/lib/cowork/plugins/<id>/ and
# records the library's SHA-256 in an install-side file the kernel verifies
# before dlopen (see kernel/plugins/verify).
function(cowork_bundled_plugin target manifest_dir)
  file(READ ${manifest_dir}/cowork.plugin.json _m)
  string(JSON _id GET "${_m}" id)
  set(_dest ${COWORK_PLUGIN_OUT}/${_id})
  set_target_properties(${target} PROPERTIES PREFIX "" OUTPUT_NAME ${_id} LIBRARY_OUTPUT_DIRECTORY ${_dest})
  target_link_libraries(${target} PRIVATE cowork::sdk cowork_warnings)
  # configure_file re-copies whenever the manifest changes, even when the
  # library does not relink (a POST_BUILD copy would miss that).
  configure_file(${manifest_dir}/cowork.plugin.json ${_dest}/cowork.plugin.json COPYONLY)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DLIB=$<TARGET_FILE:${target}> -DOUT=${_dest}/cowork.plugin.sha256
            -P ${CMAKE_SOURCE_DIR}/cmake/RecordHash.cmake
    VERBATIM)
endfunction()
