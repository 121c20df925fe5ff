# tool.mcp tests: units, the client against real servers over stdio (npm
# "everything", Python fault fixture) and HTTP (everything's streamableHttp
# and sse modes through the kernel's real cowork.http/1), and the plugin
# module loaded through its C entry.
set(_mcp_test_dir ${CMAKE_CURRENT_SOURCE_DIR}/tests)
set(_mcp_sources ${_mcp_test_dir}/mcp_units_test.cpp ${_mcp_test_dir}/mcp_stdio_test.cpp)
set(_mcp_libs cowork_tool_mcp_core)
if(TARGET cowork_llm_wire_testing)
  list(APPEND _mcp_sources ${_mcp_test_dir}/mcp_http_test.cpp ${_mcp_test_dir}/mcp_plugin_test.cpp)
  list(APPEND _mcp_libs cowork_llm_wire_testing)
endif()
cowork_add_tests(NAME cowork_tool_mcp_tests SOURCES ${_mcp_sources} LIBS ${_mcp_libs} PROPERTIES TIMEOUT 600 RUN_SERIAL TRUE)
if(TARGET cowork_tool_mcp_tests)
  add_dependencies(cowork_tool_mcp_tests cowork_tool_mcp)
  target_include_directories(cowork_tool_mcp_tests PRIVATE ${_mcp_test_dir})
  target_compile_definitions(cowork_tool_mcp_tests PRIVATE
    MCP_BUILD_OUT="${COWORK_OUT}"
    MCP_FIXTURES_DIR="${_mcp_test_dir}/fixtures"
    MCP_NPM_DIR="${CMAKE_BINARY_DIR}/npm-cache/mcp"
    COWORK_TOOL_MCP_SO="$<TARGET_FILE:cowork_tool_mcp>")
endif()
