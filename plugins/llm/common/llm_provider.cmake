# cowork_llm_provider(): the build shape every LLM provider plugin shares.
#   CORE <target> CORE_SOURCES …      translation as a static library, so the
#                                      tests drive exactly what the plugin runs
#   MODULE <target> MODULE_SOURCES …  the plugin module (its class only)
#   TESTS <target> SO_DEFINE <macro>  gtest binary; the module's path in <macro>
# Tests are globbed from tests/*_test.cpp. *_wire_test.cpp ones talk to the
# kernel's real cowork.http/1 and a scripted server, so they are built only
# once both exist in the tree (checked by file: tests/ is added after
# plugins/, so its targets are not known yet).
include_guard(GLOBAL)

# A cache variable: included once (include_guard), read from every plugin dir.
if(EXISTS ${CMAKE_SOURCE_DIR}/kernel/app/http_service.hpp AND EXISTS ${CMAKE_SOURCE_DIR}/tests/support/CMakeLists.txt)
  set(COWORK_LLM_WIRE_TESTS ON CACHE INTERNAL "")
else()
  set(COWORK_LLM_WIRE_TESTS OFF CACHE INTERNAL "")
endif()

function(cowork_llm_provider)
  cmake_parse_arguments(P "" "CORE;MODULE;TESTS;SO_DEFINE" "CORE_SOURCES;MODULE_SOURCES" ${ARGN})
  add_library(${P_CORE} STATIC ${P_CORE_SOURCES})
  target_include_directories(${P_CORE} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${P_CORE} PUBLIC cowork_llm_common cowork::sdk PRIVATE cowork_warnings)
  set_target_properties(${P_CORE} PROPERTIES POSITION_INDEPENDENT_CODE ON)

  add_library(${P_MODULE} MODULE ${P_MODULE_SOURCES})
  target_link_libraries(${P_MODULE} PRIVATE ${P_CORE})
  cowork_bundled_plugin(${P_MODULE} ${CMAKE_CURRENT_SOURCE_DIR})

  file(GLOB _tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/tests/*_test.cpp)
  set(_libs ${P_CORE} cowork_llm_testing)
  if(COWORK_LLM_WIRE_TESTS)
    list(APPEND _libs cowork_llm_wire_testing)
  else()
    list(FILTER _tests EXCLUDE REGEX "_wire_test\\.cpp$")
  endif()
  cowork_add_tests(NAME ${P_TESTS} SOURCES ${_tests} LIBS ${_libs})
  if(TARGET ${P_TESTS})
    target_include_directories(${P_TESTS} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/tests)
    add_dependencies(${P_TESTS} ${P_MODULE})
    target_compile_definitions(${P_TESTS} PRIVATE ${P_SO_DEFINE}="$<TARGET_FILE:${P_MODULE}>")
  endif()
endfunction()
