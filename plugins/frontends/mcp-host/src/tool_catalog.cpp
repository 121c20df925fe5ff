#include "tool_catalog.hpp"

#include "kernel_call.hpp"
#include "rpc_error.hpp"

#include <cowork/sdk/error.hpp>

#include <algorithm>
#include <map>

namespace cowork::mcp {
namespace {

bool listed_in(const std::vector<std::string>& list, const std::string& id) {
    return std::find(list.begin(), list.end(), id) != list.end();
}

Json text_result(const std::string& text, bool is_error) {
    return {{"content", Json::array({{{"type", "text"}, {"text", text}}})}, {"isError", is_error}};
}

// The schema as the tool declared it ($schema, $defs and all), plus the
// optional workspace argument the host consumes itself.
Json with_workspace_argument(Json schema) {
    if (!schema.is_object()) schema = Json{{"type", "object"}};
    if (!schema.contains("type")) schema["type"] = "object";
    if (!schema.contains("properties") || !schema["properties"].is_object()) schema["properties"] = Json::object();
    if (!schema["properties"].contains(kWorkspaceArgument))
        schema["properties"][kWorkspaceArgument] = {
            {"type", "string"},
            {"description", "CoWork workspace to run in: a workspace id from cowork://workspaces or an absolute "
                            "folder path (default: the host's default_workspace)"}};
    return schema;
}

std::string approval_help(const std::string& tool, const std::string& reason) {
    return "CoWork's policy asks for approval before " + tool + " runs (" + reason +
           "), and an MCP client cannot give that approval. Nothing was run. To allow it, the operator can "
           "add a rule to cowork.toml:\n\n[[policy.tool_rules]]\nid = \"mcp-allow\"\ndecision = \"allow\"\ntool = \"" +
           tool + "\"\n\nand restart coworkd, or run it once from a terminal with `cowork tools call " + tool +
           " --args '<json>' --approve`.";
}

}  // namespace

Json mcp_annotations(const Json& k) {
    const bool read_only = k.is_object() && k.value("readOnly", false);
    const std::string approval = k.is_object() ? k.value("approval", "none") : "none";
    Json a{{"readOnlyHint", read_only}};
    if (!read_only) {
        a["destructiveHint"] = approval == "write" || approval == "delete" || approval == "exec";
        a["openWorldHint"] = approval == "network" || approval == "exec";
    }
    return a;
}

std::vector<ToolCatalog::Entry> ToolCatalog::entries(const Identity& who) const {
    const Json listed = call_kernel(host_, who, "tool.list", Json::object());
    std::vector<Entry> out;
    std::map<std::string, int> bare_count;
    for (const auto& t : listed) bare_count[t.value("name", "")]++;
    for (const auto& t : listed) {
        const std::string plugin = t.value("plugin", "");
        const std::string name = t.value("name", "");
        if (name == kCatalogTool && listed_in(settings_.catalog_plugins, plugin)) continue;
        // Bare names only where they cannot collide; otherwise the namespaced id.
        const bool bare = listed_in(settings_.bare_tool_plugins, plugin) && bare_count[name] == 1;
        out.push_back({bare ? name : t.value("id", ""), t.value("id", ""), t});
    }
    return out;
}

Json ToolCatalog::list(const Identity& who) const {
    Json tools = Json::array();
    for (const auto& e : entries(who)) {
        Json t{{"name", e.mcp_name},
               {"description", e.spec.value("description", "")},
               {"inputSchema", with_workspace_argument(e.spec.value("inputSchema", Json::object()))},
               {"annotations", mcp_annotations(e.spec.value("annotations", Json::object()))}};
        if (e.spec.contains("title") && e.spec["title"].is_string()) t["title"] = e.spec["title"];
        tools.push_back(std::move(t));
    }
    return tools;
}

std::string ToolCatalog::workspace_path(const Identity& who, const std::string& value) const {
    if (!value.empty() && value.front() == '/') return value;
    const Json ws = call_kernel(host_, who, "workspace.get", {{"id", value}});
    return ws.value("path", "");
}

Json ToolCatalog::call(const Identity& who, const std::string& name, Json arguments, const CallLink& link) const {
    if (!arguments.is_object()) arguments = Json::object();
    const auto all = entries(who);
    const auto it = std::find_if(all.begin(), all.end(), [&](const Entry& e) { return e.mcp_name == name; });
    if (it == all.end()) throw RpcError(kInvalidParams, "unknown tool '" + name + "'; see tools/list");

    std::string workspace = settings_.default_workspace;
    if (arguments.contains(kWorkspaceArgument)) {
        workspace = arguments[kWorkspaceArgument].is_string() ? arguments[kWorkspaceArgument].get<std::string>() : "";
        arguments.erase(kWorkspaceArgument);
    }
    if (workspace.empty())
        return text_result("no workspace: pass \"" + std::string(kWorkspaceArgument) +
                                "\" (a workspace id from cowork://workspaces or an absolute folder), or set "
                                "default_workspace under [plugins.\"frontend.mcp-host\"] in cowork.toml",
                            true);
    try {
        const std::string path = workspace_path(who, workspace);
        // Events stream while the call runs: progress and logs go straight
        // to the client, questions (elicitation, sampling) are put to it.
        const auto on_event = [&link](const Json& e) {
            const std::string type = e.value("type", "");
            if (type == "event" && link.on_event) link.on_event(e.value("event", Json::object()));
            if (type == "request" && link.on_question) link.on_question(e);
        };
        Json out = host_.api("tool.call",
                             {{"tool", it->kernel_id},
                              {"arguments", arguments},
                              {"workspace", path},
                              {"callId", link.call_id},
                              {"answers", link.answers}},
                             who.caller(), on_event);
        return {{"content", out.value("content", Json::array())}, {"isError", out.value("isError", false)}};
    } catch (const sdk::Error& e) {
        const std::string msg = kernel_message(e, "tool.call");
        if (e.code() == "APPROVAL_REQUIRED") return text_result(approval_help(it->kernel_id, msg), true);
        if (e.code() == "UNAUTHORIZED")
            return text_result("refused: MCP identity \"" + who.name + "\" has role " + who.role +
                                   ", which may not call tools (" + msg +
                                   "). Use a token of an identity with role \"operator\".",
                               true);
        return text_result(msg, true);
    }
}

void ToolCatalog::respond(const Identity& who, const std::string& call_id, const std::string& question_id,
                          const Json& result, const Json& error) const {
    Json params{{"callId", call_id}, {"requestId", question_id}};
    if (error.is_null()) params["result"] = result;
    else params["error"] = {{"message", error.is_object() ? error.value("message", "the client refused") : "the client refused"}};
    try {
        call_kernel(host_, who, "tool.respond", params);
    } catch (const std::exception&) {
        // The call ended or the question timed out meanwhile: the answer has
        // nobody left to reach, and the tool already saw why.
    }
}

void ToolCatalog::cancel(const Identity& who, const std::string& call_id) const {
    try {
        call_kernel(host_, who, "tool.cancel", {{"callId", call_id}});
    } catch (const std::exception&) {
        // Already finished: nothing left to stop.
    }
}

}  // namespace cowork::mcp
