#include "mcp_plugin.hpp"

#include "result_content.hpp"

#include <filesystem>
#include <thread>

namespace cowork::mcp {
namespace {

Json object_schema(Json properties, Json required) {
    return {{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}

Json builtin(const std::string& server, const std::string& what, const std::string& description, Json schema) {
    return {{"name", server + "." + what},
            {"description", "[MCP server " + server + "] " + description},
            {"inputSchema", std::move(schema)},
            // Reading a resource or a prompt has no side effect on our side, but the
            // server is someone else's code: still ask unless policy says otherwise.
            {"annotations", {{"readOnly", false}, {"concurrency", "parallel"}, {"approval", "none"}, {"sideEffects", "external"}}}};
}

}  // namespace

McpPlugin::McpPlugin(sdk::Host host) : Plugin(host), store_(host) {}

McpPlugin::~McpPlugin() { stop(std::chrono::milliseconds(0)); }

void McpPlugin::init() {
    const Json config = host().config();
    std::vector<std::string> problems;
    configured_ = parse_servers(config.value("servers", Json::object()), problems);
    const Json wait = config.value("startup_wait_ms", Json(10000));
    if (wait.is_number_integer() && wait.get<long long>() >= 0) startup_wait_ = std::chrono::milliseconds(wait.get<long long>());
    for (const auto& p : problems) host().warn("tool.mcp config: " + p + " (server skipped)");
}

void McpPlugin::start() {
    try {
        store_.open();
    } catch (const std::exception& e) {
        host().warn(std::string("tool.mcp: servers added through mcp.add are unavailable: ") + e.what());
    }
    std::vector<std::string> problems;
    auto stored = store_.load(problems);
    for (const auto& p : problems) host().warn("tool.mcp: " + p);
    {
        std::lock_guard lock(mutex_);
        started_ = true;
    }
    for (auto c : configured_) install(std::move(c), "config");
    for (auto c : stored) {
        if (find(c.name)) {
            host().warn("tool.mcp: stored server '" + c.name + "' is shadowed by cowork.toml");
            continue;
        }
        install(std::move(c), "api");
    }
    // Give the servers (connecting in parallel) a bounded moment, so a task
    // started right after boot already sees their tools; slower ones join later.
    const auto until = std::chrono::steady_clock::now() + startup_wait_;
    std::vector<std::shared_ptr<ServerLink>> links;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [n, e] : servers_) links.push_back(e.link);
    }
    for (const auto& link : links) link->wait_first_attempt(until);
}

void McpPlugin::stop(std::chrono::milliseconds) {
    std::map<std::string, Entry> servers;
    {
        std::lock_guard lock(mutex_);
        servers.swap(servers_);
        started_ = false;
    }
    // In parallel: each stop may wait for a slow server to exit, and the
    // kernel gives the whole plugin one deadline.
    std::vector<std::thread> stopping;
    for (auto& [name, e] : servers) stopping.emplace_back([link = e.link] { link->stop(); });  // ends its process group, reaps it
    for (auto& t : stopping) t.join();
}

void McpPlugin::apply_enabled_overrides(ServerConfig& config) const {
    if (!store_.available()) return;
    const Json rows = host().exec("SELECT enabled FROM " + host().table_prefix() + "enabled WHERE name = ?",
                                  Json::array({config.name}))
                          .value("rows", Json::array());
    if (!rows.empty()) config.enabled = rows[0].value("enabled", 1) != 0;
}

void McpPlugin::install(ServerConfig config, const std::string& source, bool apply_overrides) {
    if (apply_overrides) apply_enabled_overrides(config);
    auto link = std::make_shared<ServerLink>(host(), std::move(config));
    {
        std::lock_guard lock(mutex_);
        if (!started_) return;
        servers_[link->config().name] = {link, source};
    }
    link->start();
}

std::shared_ptr<ServerLink> McpPlugin::uninstall(const std::string& name) {
    std::shared_ptr<ServerLink> link;
    {
        std::lock_guard lock(mutex_);
        auto it = servers_.find(name);
        if (it == servers_.end()) return nullptr;
        link = it->second.link;
        servers_.erase(it);
    }
    link->stop();
    return link;
}

std::shared_ptr<ServerLink> McpPlugin::find(const std::string& name) const {
    std::lock_guard lock(mutex_);
    auto it = servers_.find(name);
    return it == servers_.end() ? nullptr : it->second.link;
}

int McpPlugin::child_pid(const std::string& server) const {
    auto link = find(server);
    return link ? link->child_pid() : -1;
}

const Registry& McpPlugin::registry() {
    std::lock_guard lock(mutex_);
    if (!registry_) registry_ = Registry::load((std::filesystem::path(plugin_directory()) / "registry.json").string());
    return *registry_;
}

Json McpPlugin::builtin_tools(const ServerLink& link) const {
    const std::string& s = link.config().name;
    Json out = Json::array();
    out.push_back(builtin(s, "resources.list", "list the server's resources and resource templates", object_schema(Json::object(), Json::array())));
    out.push_back(builtin(s, "resources.read", "read one resource by URI (templates: fill the URI in first)",
                          object_schema({{"uri", {{"type", "string"}, {"description", "the resource URI"}}}}, {"uri"})));
    out.push_back(builtin(s, "prompts.list", "list the server's prompts and their arguments", object_schema(Json::object(), Json::array())));
    out.push_back(builtin(s, "prompts.get", "render one prompt with arguments",
                          object_schema({{"name", {{"type", "string"}}},
                                         {"arguments", {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}}}},
                                        {"name"})));
    return out;
}

Json McpPlugin::list_tools(const Json&, sdk::Events&) {
    std::vector<std::shared_ptr<ServerLink>> links;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [n, e] : servers_) links.push_back(e.link);
    }
    Json tools = Json::array();
    for (const auto& link : links) {
        if (link->status().state != "ready") continue;  // a down server offers nothing rather than failing calls
        for (auto& t : link->listed_tools()) tools.push_back(std::move(t));
        for (auto& t : builtin_tools(*link)) tools.push_back(std::move(t));
    }
    return {{"tools", tools}};
}

Json McpPlugin::call_builtin(ServerLink& link, const std::string& what, const Json& args, const std::string& call_id,
                             sdk::Events&, const std::function<bool()>& cancelled) {
    auto client = link.client(link.config().connect_timeout);
    RequestOptions ro;
    ro.cancelled = cancelled;
    ro.related_call = call_id;  // a server may ask its caller during prompts/get or resources/read too
    const size_t cap = link.config().max_result_bytes;
    const Json& caps = client->identity().capabilities;
    auto text = [cap](const Json& j) { return tool_result_from_mcp({{"content", Json::array({{{"type", "text"}, {"text", j.dump(1)}}})}}, cap); };
    if (what.rfind("resources.", 0) == 0 && !caps.contains("resources"))
        return {{"content", Json::array({{{"type", "text"}, {"text", "server '" + link.config().name + "' offers no resources"}}})}, {"isError", true}};
    if (what.rfind("prompts.", 0) == 0 && !caps.contains("prompts"))
        return {{"content", Json::array({{{"type", "text"}, {"text", "server '" + link.config().name + "' offers no prompts"}}})}, {"isError", true}};
    if (what == "resources.list")
        return text({{"resources", client->list_all("resources/list", "resources", ro)},
                     {"resourceTemplates", client->list_all("resources/templates/list", "resourceTemplates", ro)}});
    if (what == "resources.read")
        return resource_read_result(client->request("resources/read", {{"uri", args.value("uri", "")}}, ro), cap);
    if (what == "prompts.list") return text({{"prompts", client->list_all("prompts/list", "prompts", ro)}});
    if (what == "prompts.get") {
        Json params{{"name", args.value("name", "")}};
        if (args.contains("arguments") && args["arguments"].is_object()) params["arguments"] = args["arguments"];
        return prompt_result(client->request("prompts/get", params, ro), cap);
    }
    throw sdk::not_found("no tool '" + link.config().name + "." + what + "'");
}

Json McpPlugin::call_tool(const Json& request, sdk::Events& events) {
    const std::string name = request.value("name", "");
    const auto dot = name.find('.');
    if (dot == std::string::npos) throw sdk::not_found("no tool '" + name + "' (expected <server>.<tool>)");
    auto link = find(name.substr(0, dot));
    if (!link) throw sdk::not_found("no MCP server '" + name.substr(0, dot) + "' (see mcp.list)");
    const std::string rest = name.substr(dot + 1);
    const Json args = request.contains("arguments") && request["arguments"].is_object() ? request["arguments"] : Json::object();
    const std::string call_id = request.value("callId", "");
    auto guard = running_.begin(call_id);
    const auto token = guard.token();
    const std::function<bool()> cancelled = [token] { return token.cancelled(); };
    try {
        if (rest.find('.') != std::string::npos) return call_builtin(*link, rest, args, call_id, events, cancelled);
        return link->call(rest, args, call_id, events, cancelled);
    } catch (const sdk::Error& e) {
        if (e.code() != "mcp_error") throw;
        return {{"content", Json::array({{{"type", "text"}, {"text", e.what()}}})}, {"isError", true}};
    }
}

Json McpPlugin::cancel(const Json& request, sdk::Events&) {
    return {{"cancelled", running_.cancel(request.is_object() ? request.value("callId", "") : "")}};
}

}  // namespace cowork::mcp
