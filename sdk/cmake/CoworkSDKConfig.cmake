# CoworkSDK package: cowork::sdk and cowork_add_plugin().
include(CMakeFindDependencyMacro)
find_dependency(nlohmann_json 3.11)
include(${CMAKE_CURRENT_LIST_DIR}/CoworkSDKTargets.cmake)

# cowork_add_plugin(<target> SOURCES <...> MANIFEST <cowork.plugin.json>)
# Builds a plugin module that exports only its entry struct, named after the
# manifest id, with the manifest and a SHA-256 record next to it: the layout
# the kernel discovers (<root>/<id>/cowork.plugin.json + <id>.so).
function(cowork_add_plugin target)
  cmake_parse_arguments(P "" "MANIFEST;OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  file(READ ${P_MANIFEST} _m)
  string(JSON _id GET "${_m}" id)
  if(NOT P_OUTPUT_DIRECTORY)
    set(P_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/plugins)
  endif()
  set(_dest ${P_OUTPUT_DIRECTORY}/${_id})
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE cowork::sdk)
  set_target_properties(${target} PROPERTIES PREFIX "" OUTPUT_NAME ${_id}
    LIBRARY_OUTPUT_DIRECTORY ${_dest} CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 20 CXX_STANDARD_REQUIRED ON)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${CMAKE_COMMAND} -E copy_if_different ${P_MANIFEST} ${_dest}/cowork.plugin.json
    COMMAND ${CMAKE_COMMAND} -E sha256sum $<TARGET_FILE:${target}> > ${_dest}/cowork.plugin.sha256
    VERBATIM)
endfunction()
