#include "request.hpp"

#include <turn.hpp>

#include <cowork/sdk/error.hpp>

#include <algorithm>
#include <string>

namespace cowork::llm_anthropic {
namespace {

sdk::Error bad_request(const std::string& message) { return {COWORK_E_INVALID, "bad_request", message}; }

const Json kEphemeral = {{"type", "ephemeral"}};

struct CacheWish {
    bool system = false;
    bool tools = false;
};

// `cache` is {"system":bool,"tools":bool}; plain `true` asks for both.
CacheWish cache_wish(const Json& canonical) {
    const Json c = canonical.value("cache", Json());
    if (c.is_boolean()) return {c.get<bool>(), c.get<bool>()};
    if (c.is_object()) return {c.value("system", false), c.value("tools", false)};
    return {};
}

std::string text_of(const Json& content) {
    if (content.is_string()) return content.get<std::string>();
    if (content.is_null()) return "";
    return content.dump();
}

// One canonical part → one Anthropic content block (null: nothing to send).
Json block(const Json& part, sdk::llm::ToolNameMap& names) {
    const std::string type = part.value("type", "");
    if (type == "text") {
        const std::string text = part.value("text", "");
        if (text.empty()) return nullptr;  // the API rejects empty text blocks
        return {{"type", "text"}, {"text", text}};
    }
    if (type == "image")
        return {{"type", "image"},
                {"source", {{"type", "base64"}, {"media_type", part.value("mediaType", "")}, {"data", part.value("data", "")}}}};
    if (type == "tool_call")
        return {{"type", "tool_use"},
                {"id", part.value("id", "")},
                {"name", names.add(part.value("name", ""))},
                {"input", llm_common::parse_tool_arguments(part.value("arguments", Json::object())).value}};
    if (type == "tool_result") {
        Json b{{"type", "tool_result"},
               {"tool_use_id", part.value("toolCallId", "")},
               {"content", text_of(part.value("content", Json()))}};
        if (part.value("isError", false)) b["is_error"] = true;
        return b;
    }
    throw bad_request("unsupported content part type '" + type + "'");
}

// Anthropic wants tool_result blocks at the start of their user message.
void results_first(Json& content) {
    std::stable_partition(content.begin(), content.end(),
                          [](const Json& b) { return b.value("type", "") == "tool_result"; });
}

// Canonical roles user/tool both become "user"; consecutive messages with
// the same wire role are merged, so the parallel results of one turn travel
// in one user message as Anthropic requires.
Json messages(const Json& canonical, sdk::llm::ToolNameMap& names) {
    Json out = Json::array();
    for (const auto& m : canonical.value("messages", Json::array())) {
        const std::string role = m.value("role", "");
        if (role != "user" && role != "assistant" && role != "tool") throw bad_request("unknown message role '" + role + "'");
        const std::string wire_role = role == "assistant" ? "assistant" : "user";
        Json content = Json::array();
        const Json parts = m.value("content", Json::array());
        if (parts.is_string()) {
            content.push_back({{"type", "text"}, {"text", parts.get<std::string>()}});
        } else {
            for (const auto& p : parts)
                if (Json b = block(p, names); !b.is_null()) content.push_back(std::move(b));
        }
        if (content.empty()) continue;
        if (!out.empty() && out.back()["role"] == wire_role) {
            for (auto& b : content) out.back()["content"].push_back(std::move(b));
        } else {
            out.push_back({{"role", wire_role}, {"content", std::move(content)}});
        }
    }
    for (auto& m : out)
        if (m["role"] == "user") results_first(m["content"]);
    return out;
}

Json tools(const Json& canonical, sdk::llm::ToolNameMap& names, bool cache) {
    Json out = Json::array();
    for (const auto& t : canonical.value("tools", Json::array())) {
        Json schema = t.value("inputSchema", Json::object());
        if (!schema.is_object()) schema = Json::object();
        if (!schema.contains("type")) schema["type"] = "object";
        Json tool{{"name", names.add(t.value("name", ""))}, {"input_schema", schema}};
        if (auto d = t.value("description", std::string()); !d.empty()) tool["description"] = d;
        out.push_back(std::move(tool));
    }
    // A cache breakpoint on the last tool caches the whole tool list.
    if (cache && !out.empty()) out.back()["cache_control"] = kEphemeral;
    return out;
}

}  // namespace

WireRequest build_request(const Json& canonical, int64_t default_max_tokens, bool stream) {
    WireRequest wire;
    const std::string model = canonical.value("model", "");
    if (model.empty()) throw bad_request("request has no model");
    const CacheWish cache = cache_wish(canonical);

    Json body{{"model", model}};
    body["max_tokens"] = canonical.value("maxTokens", default_max_tokens);
    // Tools first: their names are registered before the history that calls them.
    Json tool_list = tools(canonical, wire.names, cache.tools);
    const std::string system = canonical.value("system", "");
    if (!system.empty()) {
        if (cache.system)
            body["system"] = Json::array({{{"type", "text"}, {"text", system}, {"cache_control", kEphemeral}}});
        else
            body["system"] = system;
    }
    body["messages"] = messages(canonical, wire.names);
    if (!tool_list.empty()) body["tools"] = std::move(tool_list);
    if (canonical.contains("temperature") && canonical["temperature"].is_number())
        body["temperature"] = canonical["temperature"];
    if (stream) body["stream"] = true;
    wire.body = std::move(body);
    return wire;
}

}  // namespace cowork::llm_anthropic
