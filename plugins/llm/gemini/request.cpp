#include "request.hpp"

#include <turn.hpp>

#include "schema.hpp"

#include <cowork/sdk/error.hpp>

#include <algorithm>
#include <map>

namespace cowork::llm_gemini {
namespace {

sdk::Error bad_request(const std::string& message) { return {COWORK_E_INVALID, "bad_request", message}; }

bool synthesized(const std::string& id) { return id.rfind(kSynthesizedIdPrefix, 0) == 0; }

// What every tool_call in the history was named and where it stood in its
// turn: functionResponse parts need the function's name, and Gemini pairs
// responses with calls by name and order, not by id.
struct CallIndex {
    std::map<std::string, std::string> name_by_id;
    std::map<std::string, int> order_by_id;
};

CallIndex index_calls(const Json& messages) {
    CallIndex idx;
    for (const auto& m : messages) {
        if (m.value("role", "") != "assistant") continue;
        int order = 0;
        for (const auto& p : m.value("content", Json::array()))
            if (p.is_object() && p.value("type", "") == "tool_call") {
                idx.name_by_id[p.value("id", "")] = p.value("name", "");
                idx.order_by_id[p.value("id", "")] = order++;
            }
    }
    return idx;
}

class Translator {
public:
    Translator(sdk::llm::ToolNameMap& names, const CallIndex& calls, const SignatureLookup& signatures)
        : names_(names), calls_(calls), signatures_(signatures) {}

    Json part(const Json& p) const {
        const std::string type = p.value("type", "");
        if (type == "text") {
            const std::string text = p.value("text", "");
            return text.empty() ? Json() : Json{{"text", text}};
        }
        if (type == "image") return {{"inlineData", {{"mimeType", p.value("mediaType", "")}, {"data", p.value("data", "")}}}};
        if (type == "tool_call") return function_call(p);
        if (type == "tool_result") return function_response(p);
        throw bad_request("unsupported content part type '" + type + "'");
    }

private:
    Json function_call(const Json& p) const {
        const std::string id = p.value("id", "");
        Json call{{"name", names_.add(p.value("name", ""))}, {"args", llm_common::parse_tool_arguments(p.value("arguments", Json::object())).value}};
        if (!id.empty() && !synthesized(id)) call["id"] = id;
        Json out{{"functionCall", call}};
        if (signatures_)
            if (auto sig = signatures_(id)) out["thoughtSignature"] = *sig;
        return out;
    }

    Json function_response(const Json& p) const {
        const std::string id = p.value("toolCallId", "");
        auto name = calls_.name_by_id.find(id);
        if (name == calls_.name_by_id.end())
            throw bad_request("tool_result " + id + " answers no tool_call in the conversation (Gemini needs the function name)");
        const Json content = p.value("content", Json());
        const Json text = content.is_string() ? content : Json(content.dump());
        // Gemini's documented convention: "output" for results, "error" for failures.
        Json response = p.value("isError", false) ? Json{{"error", text}} : Json{{"output", text}};
        Json fr{{"name", names_.add(name->second)}, {"response", response}};
        if (!id.empty() && !synthesized(id)) fr["id"] = id;
        return {{"functionResponse", fr}};
    }

    sdk::llm::ToolNameMap& names_;
    const CallIndex& calls_;
    const SignatureLookup& signatures_;
};

// Responses in the order of the calls they answer; other parts after them.
// `ids` (the toolCallId of each part, "" for others) is reordered alongside.
void order_responses(Json& parts, std::vector<std::string>& ids, const CallIndex& calls) {
    std::vector<std::pair<int, size_t>> keyed;
    for (size_t i = 0; i < parts.size(); ++i) {
        int key = 1 << 20;
        if (!ids[i].empty())
            if (auto o = calls.order_by_id.find(ids[i]); o != calls.order_by_id.end()) key = o->second;
        keyed.emplace_back(key, i);
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Json sorted = Json::array();
    std::vector<std::string> sorted_ids;
    for (const auto& [key, i] : keyed) {
        sorted.push_back(std::move(parts[i]));
        sorted_ids.push_back(std::move(ids[i]));
    }
    parts = std::move(sorted);
    ids = std::move(sorted_ids);
}

Json contents(const Json& canonical, sdk::llm::ToolNameMap& names, const SignatureLookup& signatures) {
    const Json messages = canonical.value("messages", Json::array());
    const CallIndex calls = index_calls(messages);
    Translator tr(names, calls, signatures);
    Json out = Json::array();
    std::vector<std::string> last_ids;  // toolCallId per part of out.back() (user turns)
    for (const auto& m : messages) {
        const std::string role = m.value("role", "");
        if (role != "user" && role != "assistant" && role != "tool") throw bad_request("unknown message role '" + role + "'");
        const std::string wire_role = role == "assistant" ? "model" : "user";
        Json parts = Json::array();
        std::vector<std::string> ids;
        const Json content = m.value("content", Json::array());
        if (content.is_string()) {
            parts.push_back({{"text", content.get<std::string>()}});
            ids.emplace_back();
        } else {
            for (const auto& p : content) {
                Json wp = tr.part(p);
                if (wp.is_null()) continue;
                parts.push_back(std::move(wp));
                ids.push_back(p.value("type", "") == "tool_result" ? p.value("toolCallId", "") : "");
            }
        }
        if (parts.empty()) continue;
        // Consecutive same-role messages become one turn: all results of a
        // parallel call travel together, as Gemini expects.
        if (!out.empty() && out.back()["role"] == wire_role) {
            for (auto& p : parts) out.back()["parts"].push_back(std::move(p));
            last_ids.insert(last_ids.end(), ids.begin(), ids.end());
        } else {
            out.push_back({{"role", wire_role}, {"parts", std::move(parts)}});
            last_ids = std::move(ids);
        }
        if (wire_role == "user") order_responses(out.back()["parts"], last_ids, calls);
    }
    return out;
}

Json function_declarations(const Json& canonical, sdk::llm::ToolNameMap& names) {
    Json decls = Json::array();
    for (const auto& t : canonical.value("tools", Json::array())) {
        Json d{{"name", names.add(t.value("name", ""))}};
        if (auto desc = t.value("description", std::string()); !desc.empty()) d["description"] = desc;
        if (Json params = to_gemini_schema(t.value("inputSchema", Json::object())); !params.is_null()) d["parameters"] = params;
        decls.push_back(std::move(d));
    }
    return decls;
}

}  // namespace

WireRequest build_request(const Json& canonical, const SignatureLookup& signatures) {
    WireRequest wire;
    if (canonical.value("model", "").empty()) throw bad_request("request has no model");
    Json body = Json::object();
    // Declarations first: their names are registered before the history that calls them.
    const Json decls = function_declarations(canonical, wire.names);
    body["contents"] = contents(canonical, wire.names, signatures);
    if (auto system = canonical.value("system", std::string()); !system.empty())
        body["systemInstruction"] = {{"parts", Json::array({{{"text", system}}})}};
    if (!decls.empty()) body["tools"] = Json::array({{{"functionDeclarations", decls}}});
    Json gen = Json::object();
    if (canonical.contains("maxTokens") && canonical["maxTokens"].is_number_integer()) gen["maxOutputTokens"] = canonical["maxTokens"];
    if (canonical.contains("temperature") && canonical["temperature"].is_number()) gen["temperature"] = canonical["temperature"];
    if (!gen.empty()) body["generationConfig"] = gen;
    wire.body = std::move(body);
    return wire;
}

}  // namespace cowork::llm_gemini
