// tool_result.hpp — the shape of call_tool results (see docs/tools.md).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::tools {

using Json = nlohmann::json;

// Text results larger than this are cut, with a note saying how to get the rest.
inline constexpr size_t kMaxTextBytes = 256 * 1024;

// {"content":[{"type":"text","text":text}],"isError":false,"data":data?}
Json text_result(const std::string& text, const Json& data = nullptr);

// The same with "isError": true: an expected failure the model should handle.
Json error_result(const std::string& text, const Json& data = nullptr);

// Cuts `text` at `max_bytes` on a line (or at least UTF-8) boundary. Returns
// true when something was cut.
bool truncate_text(std::string& text, size_t max_bytes = kMaxTextBytes);

// A tool description for list_tools.
struct ToolSpec {
    std::string name;
    std::string description;
    Json input_schema;
    bool read_only = true;
    const char* concurrency = "parallel";  // "parallel" | "serial"
    const char* approval = "none";         // none | write | delete | exec | network
    const char* side_effects = "none";     // none | local | external
};
Json describe(const ToolSpec& spec);

// ISO-8601 UTC with milliseconds, e.g. "2024-05-01T12:00:00.123Z".
std::string iso_time(long long seconds, long nanoseconds);

}  // namespace cowork::tools
