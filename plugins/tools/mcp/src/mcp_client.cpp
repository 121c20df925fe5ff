#include "mcp_client.hpp"

#include "call_relation.hpp"
#include "client_capabilities.hpp"
#include "elicitation_answer.hpp"
#include "json_rpc.hpp"
#include "protocol_version.hpp"
#include "stream_origin.hpp"

#include <cowork/abi.h>
#include <cowork/sdk/error.hpp>

namespace cowork::mcp {
namespace {

sdk::Error timeout_error(const std::string& method, std::chrono::milliseconds after) {
    return {COWORK_E_TIMEOUT, "timeout",
            method + " got no answer within " + std::to_string(after.count()) +
                " ms (cancelled on the server; raise request_timeout_ms for slow tools)"};
}

// The server requests answered through ClientOptions::on_server_request, by their kind.
const char* answered_kind(const std::string& method) {
    if (method == "elicitation/create") return "elicitation";
    if (method == "sampling/createMessage") return "sampling";
    return nullptr;
}

}  // namespace

McpClient::McpClient(std::unique_ptr<Transport> transport, ClientOptions options)
    : transport_(std::move(transport)), options_(std::move(options)), server_requests_(options_.max_server_requests) {
    notifications_ = std::make_unique<NotificationQueue>(
        options_.max_queued_notifications, options_.on_notification,
        [log = options_.log](const std::string& text) {
            if (log) log(COWORK_LOG_WARN, text);
        });
}

McpClient::~McpClient() {
    close();
    notifications_.reset();
}

void McpClient::log(int level, const std::string& text) const {
    if (options_.log) options_.log(level, text);
}

const ServerIdentity& McpClient::connect() {
    TransportHandlers handlers;
    handlers.on_message = [this](const Json& m) { on_message(m); };
    handlers.on_garbage = [this](const std::string& text) {
        log(COWORK_LOG_WARN, "ignored a line that is not JSON: " + text);
    };
    handlers.on_closed = [this](const std::string& why) { on_closed(why); };
    transport_->open(std::move(handlers));
    alive_ = true;

    const Json params{{"protocolVersion", std::string(kLatestVersion)},
                      {"capabilities", client_capabilities(kLatestVersion, static_cast<bool>(options_.on_server_request))},
                      {"clientInfo", {{"name", options_.client_name}, {"version", options_.client_version}}}};
    RequestOptions ro;
    ro.timeout = options_.connect_timeout;
    const Json result = request("initialize", params, ro);
    const std::string version = result.value("protocolVersion", "");
    if (!supported_version(version)) {
        close();
        throw sdk::failed("the server answered initialize with MCP protocol version '" + version +
                          "', which this client does not speak (it supports " + supported_versions_text() +
                          "); update the server or CoWork");
    }
    identity_.protocol_version = version;
    identity_.capabilities = result.value("capabilities", Json::object());
    identity_.server_info = result.value("serverInfo", Json::object());
    if (result.contains("instructions") && result["instructions"].is_string())
        identity_.instructions = result["instructions"].get<std::string>();
    transport_->initialized(version);
    notify("notifications/initialized");
    return identity_;
}

Json McpClient::request(const std::string& method, const Json& params, const RequestOptions& options) {
    auto pending = std::make_shared<Pending>();
    pending->on_progress = options.on_progress;
    pending->related_call = options.related_call;
    int64_t id;
    {
        std::lock_guard lock(mutex_);
        if (!alive_) throw sdk::failed("the MCP connection is closed" + (lost_reason_.empty() ? "" : ": " + lost_reason_));
        id = next_id_++;
        pending_[id] = pending;
    }
    Json p = params.is_null() ? Json::object() : params;
    if (options.on_progress) p["_meta"]["progressToken"] = id;
    try {
        transport_->send(rpc::request(id, method, p));
    } catch (...) {
        std::lock_guard lock(mutex_);
        pending_.erase(id);
        throw;
    }

    const auto timeout = options.timeout.count() > 0 ? options.timeout : options_.request_timeout;
    const auto started = std::chrono::steady_clock::now();
    auto deadline = started + timeout;
    std::unique_lock lock(mutex_);
    for (;;) {
        if (pending->done) break;
        if (!alive_) {
            pending_.erase(id);
            throw sdk::failed(method + " failed: the connection to the server was lost (" + lost_reason_ + ")");
        }
        const auto now = std::chrono::steady_clock::now();
        if (pending->asking > 0) pending->progressed = true;  // the caller is being asked: no timeout meanwhile
        if (pending->progressed) {  // progress resets the timeout, within max_request_time
            pending->progressed = false;
            deadline = std::min(now + timeout, started + options_.max_request_time);
        }
        const bool cancelled = options.cancelled && options.cancelled();
        if (cancelled || now >= deadline) {
            pending_.erase(id);
            lock.unlock();
            // Tell the server to stop; a late answer is then ignored (unknown id).
            try {
                notify("notifications/cancelled",
                       {{"requestId", id}, {"reason", cancelled ? "cancelled by the client" : "timed out"}});
            } catch (...) {
            }
            if (cancelled) throw sdk::Error(COWORK_E_CANCELLED, "cancelled", method + " was cancelled");
            throw timeout_error(method, timeout);
        }
        cv_.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(options.cancelled ? 50 : 1000)));
    }
    pending_.erase(id);
    const Json response = std::move(pending->response);
    lock.unlock();
    if (response.contains("error")) {
        const Json& e = response["error"];
        throw sdk::Error(COWORK_E_FAILED, "mcp_error", method + ": the server answered with error " + rpc::describe_error(e));
    }
    return response.contains("result") ? response["result"] : Json::object();
}

Json McpClient::list_all(const std::string& method, const std::string& key, const RequestOptions& options) {
    Json all = Json::array();
    Json params = Json::object();
    for (int page = 0; page < 1000; ++page) {  // a server that loops its cursor forever must not hang us
        const Json result = request(method, params, options);
        if (result.contains(key) && result[key].is_array())
            for (const auto& item : result[key]) all.push_back(item);
        if (!result.contains("nextCursor") || !result["nextCursor"].is_string() ||
            result["nextCursor"].get<std::string>().empty())
            return all;
        params["cursor"] = result["nextCursor"];
    }
    log(COWORK_LOG_WARN, method + ": stopped after 1000 pages");
    return all;
}

void McpClient::notify(const std::string& method, const Json& params) { transport_->send(rpc::notification(method, params)); }

void McpClient::reply(const Json& message) {
    try {
        transport_->send(message);
    } catch (const std::exception& e) {
        log(COWORK_LOG_WARN, std::string("could not answer the server: ") + e.what());
    }
}

void McpClient::on_message(const Json& message) {
    if (message.is_array()) {  // a batch (MCP 2025-03-26): handle each element
        for (const auto& m : message) on_message(m);
        return;
    }
    switch (rpc::classify(message).kind) {
        case rpc::Kind::response: return on_response(message);
        case rpc::Kind::request: return on_server_request(message);
        case rpc::Kind::notification: return on_notification(message);
        case rpc::Kind::invalid: break;
    }
    // Invalid JSON-RPC: answer it when it carries an id we can address, else drop it.
    if (message.is_object() && message.contains("id") && (message["id"].is_string() || message["id"].is_number_integer()) &&
        !message.contains("result") && !message.contains("error"))
        reply(rpc::error(message["id"], kInvalidRequest, "invalid JSON-RPC request"));
    log(COWORK_LOG_WARN, "ignored a malformed JSON-RPC message: " + message.dump().substr(0, 200));
}

void McpClient::on_response(const Json& message) {
    const Json& id = message["id"];
    if (!id.is_number_integer()) {
        log(COWORK_LOG_WARN, "ignored a response with an id this client never used: " + id.dump());
        return;
    }
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(id.get<int64_t>());
        if (it == pending_.end()) return;  // late answer to a timed-out or cancelled request
        it->second->response = message;
        it->second->done = true;
    }
    cv_.notify_all();
}

void McpClient::on_server_request(const Json& message) {
    const std::string method = message["method"];
    const Json& id = message["id"];
    if (method == "ping") return reply(rpc::result(id, Json::object()));
    if (!answered_kind(method) || !options_.on_server_request)  // roots, url-mode, or nobody to answer: say so precisely
        return reply(rpc::error(id, kMethodNotFound, "method not supported by this client: " + method));
    const Json params = message.value("params", Json::object());
    if (method == "elicitation/create" && params.is_object() && params.contains("mode") && params["mode"] != "form")
        return reply(rpc::error(id, kInvalidParams, "this client supports form-mode elicitation only (it declared no \"url\" mode)"));
    const auto related = related_request();
    if (!related) return reply(rpc::error(id, kInternalError, "no tool call in flight to relate this request to"));
    set_asking(related->request, +1);
    // The answer may wait for a person: never on this (the reader's) thread.
    const bool started = server_requests_.try_run([this, id, method, params, related = *related] {
        answer_server_request(id, method, params, related.call);
        set_asking(related.request, -1);
    });
    if (!started) {
        set_asking(related->request, -1);
        reply(rpc::error(id, kInternalError,
                         "busy: this client already answers " + std::to_string(options_.max_server_requests) +
                             " requests of this server; retry after one of them finished"));
    }
}

std::optional<McpClient::Relation> McpClient::related_request() {
    std::map<int64_t, std::string> in_flight;
    std::lock_guard lock(mutex_);
    for (const auto& [rid, p] : pending_)
        if (!p->related_call.empty()) in_flight[rid] = p->related_call;
    const auto chosen = relate_server_request(in_flight, StreamOrigin::current());
    if (!chosen) return std::nullopt;
    return Relation{*chosen, in_flight[*chosen]};
}

void McpClient::set_asking(int64_t request, int delta) {
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(request);
        if (it == pending_.end()) return;
        it->second->asking += delta;
        it->second->progressed = true;  // a question answered counts as progress: the timeout starts afresh
    }
    cv_.notify_all();
}

void McpClient::answer_server_request(const Json& id, const std::string& method, const Json& params,
                                      const std::string& related_call) {
    try {
        Json result = options_.on_server_request(answered_kind(method), params, related_call);
        if (method == "elicitation/create") result = complete_elicitation_answer(params, std::move(result));
        reply(rpc::result(id, result));
    } catch (const std::exception& e) {
        reply(rpc::error(id, kInternalError, e.what()));
    }
}

void McpClient::on_progress(const Json& params) {
    if (!params.is_object() || !params.contains("progressToken") || !params["progressToken"].is_number_integer()) return;
    std::function<void(const Progress&)> callback;
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(params["progressToken"].get<int64_t>());
        if (it == pending_.end()) return;
        callback = it->second->on_progress;
        it->second->progressed = true;
    }
    cv_.notify_all();
    if (!callback) return;
    Progress p;
    p.progress = params.value("progress", 0.0);
    p.total = params.value("total", 0.0);
    if (params.contains("message") && params["message"].is_string()) p.message = params["message"];
    callback(p);
}

void McpClient::on_notification(const Json& message) {
    const std::string method = message["method"];
    const Json params = message.value("params", Json::object());
    if (method == "notifications/progress") return on_progress(params);
    // The server gave up on one of its requests: the person may still be asked,
    // and the late answer is one the server ignores (unknown id).
    if (method == "notifications/cancelled") return;
    notifications_->push(method, params);
}

void McpClient::on_closed(const std::string& why) {
    {
        std::lock_guard lock(mutex_);
        if (!alive_) return;
        alive_ = false;
        lost_reason_ = why;
    }
    cv_.notify_all();
    if (!closing_ && options_.on_lost) options_.on_lost(why);
}

void McpClient::close() {
    closing_ = true;
    {
        std::lock_guard lock(mutex_);
        alive_ = false;
        if (lost_reason_.empty()) lost_reason_ = "closed";
    }
    cv_.notify_all();
    transport_->close();
    // Answers still being prepared end when their call does (the call just
    // failed above, and the kernel ends what it was asking); their late
    // replies find the transport closed and are dropped.
    server_requests_.close();
}

}  // namespace cowork::mcp
