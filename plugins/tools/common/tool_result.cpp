#include "cowork_tools/tool_result.hpp"

#include "cowork_tools/tool_failure.hpp"

#include <cstring>
#include <ctime>

namespace cowork::tools {

void fail_errno(const std::string& what, int err) {
    throw ToolFailure(what + ": " + std::strerror(err));
}

Json text_result(const std::string& text, const Json& data) {
    Json result{{"content", Json::array({{{"type", "text"}, {"text", text}}})}, {"isError", false}};
    if (!data.is_null()) result["data"] = data;
    return result;
}

Json error_result(const std::string& text, const Json& data) {
    Json result{{"content", Json::array({{{"type", "text"}, {"text", text}}})}, {"isError", true}};
    if (!data.is_null()) result["data"] = data;
    return result;
}

bool truncate_text(std::string& text, size_t max_bytes) {
    if (text.size() <= max_bytes) return false;
    size_t cut = text.rfind('\n', max_bytes);
    if (cut == std::string::npos || cut < max_bytes / 2) {
        cut = max_bytes;  // no useful line break: at least do not split a UTF-8 sequence
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    } else {
        ++cut;  // keep the newline
    }
    text.resize(cut);
    return true;
}

Json describe(const ToolSpec& spec) {
    return {{"name", spec.name},
            {"description", spec.description},
            {"inputSchema", spec.input_schema},
            {"annotations",
             {{"readOnly", spec.read_only},
              {"concurrency", spec.concurrency},
              {"approval", spec.approval},
              {"sideEffects", spec.side_effects}}}};
}

std::string iso_time(long long seconds, long nanoseconds) {
    const time_t t = static_cast<time_t>(seconds);
    struct tm utc {};
    ::gmtime_r(&t, &utc);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
    char ms[24];
    std::snprintf(ms, sizeof ms, ".%03ldZ", nanoseconds / 1000000);
    return std::string(buf) + ms;
}

}  // namespace cowork::tools
