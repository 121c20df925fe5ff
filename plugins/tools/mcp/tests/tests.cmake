# tool.mcp tests: units, the client against real servers over stdio (npm
# "everything", Python fault fixture) and HTTP (everything's streamableHttp
# and sse modes through the kernel's real cowork.http/1), and the plugin
# module loaded through its C entry.
set(_mcp_test_dir ${CMAKE_CURRENT_SOURCE_DIR}/tests)
set(_mcp_sources ${_mcp_test_dir}/mcp_units_test.cpp ${_mcp_test_dir}/mcp_stdio_test.cpp)
# Server requests (elicitation, sampling): units, and over stdio with the fault fixture.
list(APPEND _mcp_sources ${_mcp_test_dir}/mcp_server_requests_test.cpp ${_mcp_test_dir}/mcp_server_requests_stdio_test.cpp)
# OAuth 2.1 pieces: PKCE, WWW-Authenticate, metadata URLs, scopes, the loopback listener.
list(APPEND _mcp_sources ${_mcp_test_dir}/mcp_oauth_test.cpp)
# private_key_jwt: the ES256 assertion, verified with OpenSSL.
list(APPEND _mcp_sources ${_mcp_test_dir}/mcp_jwt_assertion_test.cpp)
set(_mcp_libs cowork_tool_mcp_core OpenSSL::Crypto)
if(TARGET cowork_llm_wire_testing)
  list(APPEND _mcp_sources ${_mcp_test_dir}/mcp_http_test.cpp ${_mcp_test_dir}/mcp_plugin_test.cpp)
  # mcp.login end to end: scripted resource + authorization server, the test as the browser.
  list(APPEND _mcp_sources ${_mcp_test_dir}/mcp_oauth_login_test.cpp)
  list(APPEND _mcp_sources ${_mcp_test_dir}/mcp_server_requests_http_test.cpp)  # relation by SSE stream, scripted server
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

# The agent end to end: the real `cowork run` binary, the scripted LLM
# fixture and real MCP servers (tests/integration's process helpers).
cowork_add_tests(NAME cowork_tool_mcp_e2e_tests
  SOURCES ${CMAKE_SOURCE_DIR}/tests/integration/process_helpers.cpp ${_mcp_test_dir}/mcp_agent_e2e_test.cpp
  LIBS nlohmann_json::nlohmann_json
  PROPERTIES RUN_SERIAL TRUE TIMEOUT 300)
if(TARGET cowork_tool_mcp_e2e_tests)
  add_dependencies(cowork_tool_mcp_e2e_tests coworkd cowork cowork-plugin-host cowork_plugin_fixtures cowork_tool_mcp)
  if(TARGET cowork_frontend_control_plane)
    add_dependencies(cowork_tool_mcp_e2e_tests cowork_frontend_control_plane)  # the CLI reaches coworkd through it
  endif()
  target_include_directories(cowork_tool_mcp_e2e_tests PRIVATE ${_mcp_test_dir} ${CMAKE_SOURCE_DIR}/tests/integration)
  target_compile_definitions(cowork_tool_mcp_e2e_tests PRIVATE
    MCP_BUILD_OUT="${COWORK_OUT}"
    MCP_FIXTURES_DIR="${_mcp_test_dir}/fixtures"
    MCP_NPM_DIR="${CMAKE_BINARY_DIR}/npm-cache/mcp")
endif()

# The client under test for the MCP conformance suite, and the test running it.
if(TARGET cowork_llm_wire_testing AND COWORK_BUILD_TESTS)
  add_executable(cowork_mcp_conformance_client ${_mcp_test_dir}/conformance_client.cpp)
  target_link_libraries(cowork_mcp_conformance_client PRIVATE cowork_tool_mcp_core cowork_llm_wire_testing cowork_warnings)
  set_target_properties(cowork_mcp_conformance_client PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  cowork_add_tests(NAME cowork_tool_mcp_conformance_tests
    SOURCES ${_mcp_test_dir}/mcp_conformance_test.cpp
    LIBS nlohmann_json::nlohmann_json
    PROPERTIES RUN_SERIAL TRUE TIMEOUT 1200)
  add_dependencies(cowork_tool_mcp_conformance_tests cowork_mcp_conformance_client)
  target_include_directories(cowork_tool_mcp_conformance_tests PRIVATE ${_mcp_test_dir})
  target_compile_definitions(cowork_tool_mcp_conformance_tests PRIVATE
    MCP_BUILD_OUT="${COWORK_OUT}"
    MCP_FIXTURES_DIR="${_mcp_test_dir}/fixtures"
    MCP_NPM_DIR="${CMAKE_BINARY_DIR}/npm-cache/mcp"
    MCP_CONFORMANCE_DIR="${CMAKE_BINARY_DIR}/npm-cache/mcp-conformance"
    MCP_CONFORMANCE_CLIENT="$<TARGET_FILE:cowork_mcp_conformance_client>")
endif()
