#include "server_link.hpp"

#include "http_transport.hpp"
#include "oauth/link_authorizer.hpp"
#include "result_content.hpp"
#include "stdio_transport.hpp"

#include <cowork/sdk/error.hpp>

#include <algorithm>

namespace cowork::mcp {
namespace {

constexpr auto kFirstBackoff = std::chrono::milliseconds(500);
constexpr auto kMaxBackoff = std::chrono::milliseconds(30000);

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// The server asks (elicitation/create, sampling/createMessage) during a call:
// the kernel puts the question to whoever started that call and blocks this
// worker until it is answered. Its errors (UNSUPPORTED: "the caller of this
// tool cannot answer …", TIMEOUT, CANCELLED, …) reach the server as -32603.
ServerRequestHandler ask_the_caller(sdk::Host host) {
    return [host](const std::string& kind, const Json& params, const std::string& call_id) {
        return host.api("tool.request", {{"callId", call_id}, {"kind", kind}, {"params", params}}, Json::object());
    };
}

}  // namespace

ServerLink::ServerLink(sdk::Host host, ServerConfig config) : host_(host), config_(std::move(config)) {
    state_ = config_.enabled ? "stopped" : "disabled";
}

ServerLink::~ServerLink() { stop(); }

void ServerLink::log(int level, const std::string& text) const { host_.log(level, "mcp server '" + config_.name + "': " + text); }

std::unique_ptr<Transport> ServerLink::make_transport() {
    if (config_.transport == TransportKind::stdio) {
        // The child is forked on this thread (connect_once runs on the
        // supervisor), and its PR_SET_PDEATHSIG fires when the forking
        // *thread* ends. The supervisor lives as long as the link, and stop()
        // closes the session before it lets the supervisor end, so the signal
        // only ever fires when the kernel itself dies.
        StdioOptions o;
        o.spawn = {config_.command, config_.args, config_.env, config_.cwd};
        o.log_stderr = [this](const std::string& line) { log(COWORK_LOG_INFO, "stderr: " + line); };
        return std::make_unique<StdioTransport>(std::move(o));
    }
    HttpOptions o;
    o.url = config_.url;
    o.headers = config_.headers;
    o.legacy_only = config_.transport == TransportKind::sse;
    o.connect_timeout = config_.connect_timeout;
    o.request_timeout = config_.request_timeout;
    o.log = [this](int level, const std::string& text) { log(level, text); };
    o.authorizer = oauth::authorizer_for(host_, config_, o.log);  // tool.mcp OAuth hook: nullptr unless auth.type = "oauth"
    if (!config_.auth.secret.empty()) {
        std::string value;
        try {
            value = host_.secret(config_.auth.secret);
        } catch (const sdk::Error& e) {
            throw sdk::denied("cannot read secret '" + config_.auth.secret + "' for server '" + config_.name + "': " +
                              e.what() + " (store it with `cowork secrets set " + config_.auth.secret + "`)");
        }
        o.headers[config_.auth.header] = config_.auth.bearer ? "Bearer " + value : value;
    }
    return std::make_unique<HttpTransport>(host_, std::move(o));
}

std::shared_ptr<McpClient> ServerLink::connect_once() {
    ClientOptions o;
    o.connect_timeout = config_.connect_timeout;
    o.request_timeout = config_.request_timeout;
    o.log = [this](int level, const std::string& text) { log(level, text); };
    o.on_notification = [this](const std::string& method, const Json& params) { on_notification(method, params); };
    o.on_server_request = ask_the_caller(host_);
    o.on_lost = [this](const std::string& why) {
        {
            std::lock_guard lock(mutex_);
            lost_ = true;
            last_error_ = "connection lost: " + why;
        }
        cv_.notify_all();
    };
    auto client = std::make_shared<McpClient>(make_transport(), std::move(o));
    client->connect();
    refresh_tools(client);
    return client;
}

void ServerLink::refresh_tools(const std::shared_ptr<McpClient>& client) {
    if (!client->identity().capabilities.contains("tools")) {
        std::lock_guard lock(mutex_);
        tools_ = Json::array();
        return;
    }
    Json tools = client->list_all("tools/list", "tools");
    std::lock_guard lock(mutex_);
    tools_ = Json::array();
    names_.clear();
    // Names are assigned here, in the server's order, so listing and calling agree.
    for (auto& t : tools)
        if (t.is_object() && t.contains("name") && t["name"].is_string()) {
            names_.add(t["name"].get<std::string>());
            tools_.push_back(std::move(t));
        }
}

void ServerLink::on_notification(const std::string& method, const Json& params) {
    if (method == "notifications/tools/list_changed") {
        std::shared_ptr<McpClient> c;
        {
            std::lock_guard lock(mutex_);
            c = client_;
        }
        if (c && c->alive()) refresh_tools(c);
        log(COWORK_LOG_INFO, "tool list changed; refreshed");
    } else if (method == "notifications/message") {
        log(COWORK_LOG_INFO, "server log: " + params.dump().substr(0, 500));
    } else {
        log(COWORK_LOG_DEBUG, method);  // resources/prompts list_changed: listed fresh on every use
    }
}

void ServerLink::start() {
    std::lock_guard lock(mutex_);
    if (!config_.enabled || supervisor_.joinable()) return;
    stopping_ = false;
    state_ = "connecting";
    supervisor_ = std::thread([this] { supervise(); });
}

void ServerLink::supervise() {
    auto backoff = kFirstBackoff;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (client_ && !lost_) {
            cv_.wait(lock, [this] { return stopping_ || lost_; });
            continue;
        }
        if (client_) {  // lost: close the old session here, never on its own reader thread
            auto old = std::move(client_);
            lost_ = false;
            state_ = "connecting";
            ++reconnects_;
            lock.unlock();
            old->close();
            old.reset();
            lock.lock();
            continue;
        }
        state_ = "connecting";
        lock.unlock();
        std::shared_ptr<McpClient> fresh;
        std::string error;
        try {
            fresh = connect_once();
        } catch (const std::exception& e) {
            error = e.what();
        }
        lock.lock();
        if (fresh && !stopping_) {
            client_ = std::move(fresh);
            lost_ = false;
            state_ = "ready";
            last_error_.clear();
            backoff = kFirstBackoff;
            cv_.notify_all();
            continue;
        }
        if (fresh) {  // stopped while connecting
            lock.unlock();
            fresh->close();
            lock.lock();
            break;
        }
        last_error_ = error;
        state_ = "backoff";
        cv_.notify_all();
        log(COWORK_LOG_WARN, "connect failed: " + error + "; retrying in " + std::to_string(backoff.count()) + " ms");
        cv_.wait_for(lock, backoff, [this] { return stopping_; });
        backoff = std::min(backoff * 2, kMaxBackoff);
    }
}

void ServerLink::stop() {
    std::shared_ptr<McpClient> client;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        client = std::move(client_);
    }
    cv_.notify_all();
    // The session first, while the supervisor (which forked a stdio child)
    // still runs: the child then ends by EOF and the group signals, not by
    // its parent-death signal racing them.
    if (client) client->close();
    if (supervisor_.joinable()) supervisor_.join();
    {
        std::lock_guard lock(mutex_);
        if (config_.enabled) state_ = "stopped";
    }
}

void ServerLink::wait_first_attempt(std::chrono::steady_clock::time_point until) {
    std::unique_lock lock(mutex_);
    cv_.wait_until(lock, until, [this] { return stopping_ || state_ != "connecting"; });
}

LinkStatus ServerLink::status() const {
    std::lock_guard lock(mutex_);
    LinkStatus s;
    s.state = state_;
    s.transport = client_ ? client_->transport_kind() : transport_name(config_.transport);
    s.last_error = last_error_;
    s.tools = tools_.size();
    s.reconnects = reconnects_;
    if (client_) {
        s.server_info = client_->identity().server_info;
        s.protocol_version = client_->identity().protocol_version;
    }
    return s;
}

Json ServerLink::tool_spec(const Json& t, const std::string& listed) const {
    const std::string mcp_name = t["name"];
    const Json hints = t.value("annotations", Json::object());
    Json schema = t.contains("inputSchema") && t["inputSchema"].is_object() ? t["inputSchema"] : Json{{"type", "object"}};
    if (!schema.contains("type")) schema["type"] = "object";
    std::string description = t.contains("description") && t["description"].is_string() ? t["description"].get<std::string>() : "";
    const bool read_only = contains(config_.read_only_tools, mcp_name);  // the operator's word, never the server's hint
    const bool destructive = hints.is_object() && hints.value("destructiveHint", false);
    return {{"name", config_.name + "." + listed},
            {"description", "[MCP server " + config_.name + "] " + description},
            {"inputSchema", schema},
            {"annotations",
             {{"readOnly", read_only},
              {"concurrency", read_only ? "parallel" : "serial"},
              // A destructive hint may only tighten: it asks the workspace for delete rights.
              {"approval", destructive ? "delete" : "none"},
              {"sideEffects", read_only ? "none" : "external"},
              {"mcpTool", mcp_name},
              {"mcpHints", hints}}}};
}

Json ServerLink::listed_tools() const {
    std::lock_guard lock(mutex_);
    Json out = Json::array();
    for (const auto& t : tools_) out.push_back(tool_spec(t, names_.listed_name(t["name"].get<std::string>())));
    return out;
}

std::shared_ptr<McpClient> ServerLink::client(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    if (!config_.enabled) throw sdk::failed("MCP server '" + config_.name + "' is disabled (enable it with mcp.enable)");
    cv_.wait_for(lock, wait, [this] { return stopping_ || (client_ && !lost_ && client_->alive()); });
    if (client_ && !lost_ && client_->alive()) return client_;
    throw sdk::Error(COWORK_E_FAILED, "unavailable",
                     "MCP server '" + config_.name + "' is not connected (" + state_ +
                         (last_error_.empty() ? "" : ": " + last_error_) + "); check `cowork call mcp.list`");
}

Json ServerLink::call(const std::string& tool_part, const Json& arguments, const std::string& call_id,
                      sdk::Events& events, const std::function<bool()>& cancelled) {
    auto c = client(config_.connect_timeout);
    std::string mcp_name;
    {
        std::lock_guard lock(mutex_);
        mcp_name = names_.mcp_name(tool_part);
    }
    if (mcp_name.empty()) throw sdk::not_found("MCP server '" + config_.name + "' has no tool '" + tool_part + "'");
    RequestOptions ro;
    ro.cancelled = cancelled;
    ro.related_call = call_id;
    ro.on_progress = [&events](const Progress& p) {
        Json e{{"type", "progress"}, {"message", p.message}};
        if (p.total > 0) e["progress"] = p.progress / p.total;
        e["raw"] = {{"progress", p.progress}, {"total", p.total}};
        events.emit(e);
    };
    try {
        const Json result = c->request("tools/call", {{"name", mcp_name}, {"arguments", arguments.is_object() ? arguments : Json::object()}}, ro);
        return tool_result_from_mcp(result, config_.max_result_bytes);
    } catch (const sdk::Error& e) {
        if (e.code() != "mcp_error") throw;
        // The server refused the call (unknown tool, bad arguments): the model should read that.
        return {{"content", Json::array({{{"type", "text"}, {"text", e.what()}}})}, {"isError", true}};
    }
}

Json ServerLink::test() {
    auto c = client(config_.connect_timeout);
    Json tools = c->list_all("tools/list", "tools");
    Json names = Json::array();
    for (const auto& t : tools)
        if (t.is_object()) names.push_back(t.value("name", ""));
    return {{"ok", true},
            {"transport", c->transport_kind()},
            {"protocolVersion", c->identity().protocol_version},
            {"serverInfo", c->identity().server_info},
            {"capabilities", c->identity().capabilities},
            {"tools", names}};
}

int ServerLink::child_pid() const {
    std::lock_guard lock(mutex_);
    if (!client_) return -1;
    if (auto* s = dynamic_cast<StdioTransport*>(&client_->transport())) return s->pid();
    return -1;
}

}  // namespace cowork::mcp
