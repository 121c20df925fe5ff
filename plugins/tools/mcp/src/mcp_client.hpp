// mcp_client.hpp — one MCP session over any Transport: initialize with
// version negotiation, requests with timeouts, progress and cancellation,
// answers to the server's own requests (ping; elicitation and sampling
// through an injected handler, on bounded workers; -32601 for the rest), and
// notifications handed to a worker so a flood never blocks responses.
#pragma once

#include "notification_queue.hpp"
#include "request_workers.hpp"
#include "transport.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace cowork::mcp {

// [request worker] Answers one server request on behalf of whoever started
// the related call: kind "elicitation" (elicitation/create) or "sampling"
// (sampling/createMessage), the request's params verbatim, and the
// RequestOptions::related_call of the call it belongs to. Returns the MCP
// result; a thrown exception becomes JSON-RPC error -32603 with its message.
using ServerRequestHandler =
    std::function<Json(const std::string& kind, const Json& params, const std::string& related_call)>;

struct ClientOptions {
    std::string client_name = "cowork";
    std::string client_version = "0.1.0";
    std::chrono::milliseconds connect_timeout{30000};
    std::chrono::milliseconds request_timeout{60000};
    // Progress resets a request's timeout, but never past this.
    std::chrono::milliseconds max_request_time{600000};
    size_t max_queued_notifications = 1000;
    std::function<void(int level, const std::string&)> log;
    // [notification worker] Every server notification except progress and
    // cancelled (which the client consumes): method + params.
    std::function<void(const std::string& method, const Json& params)> on_notification;
    // [transport thread] The connection dropped on its own (not by close()).
    std::function<void(const std::string& why)> on_lost;
    // Set: initialize declares elicitation (form) and sampling, and the
    // server's requests for them are answered through it. Unset: -32601.
    ServerRequestHandler on_server_request;
    // Server requests answered at once; more get -32603 "busy".
    size_t max_server_requests = 4;
};

struct Progress {
    double progress = 0;
    double total = 0;  // 0: unknown
    std::string message;
};

struct RequestOptions {
    std::chrono::milliseconds timeout{0};  // 0: the client's request_timeout
    std::function<void(const Progress&)> on_progress;
    std::function<bool()> cancelled;  // polled; true sends notifications/cancelled
    // The tool call this request serves (the kernel's callId). Server requests
    // arriving meanwhile are related to it (call_relation.hpp), and while one
    // is being answered this request's timeout does not run out.
    std::string related_call;
};

struct ServerIdentity {
    std::string protocol_version;
    Json capabilities = Json::object();
    Json server_info = Json::object();
    std::string instructions;
};

class McpClient {
public:
    McpClient(std::unique_ptr<Transport> transport, ClientOptions options);
    ~McpClient();  // closes
    McpClient(const McpClient&) = delete;
    McpClient& operator=(const McpClient&) = delete;

    // Opens the transport, runs initialize + notifications/initialized.
    // Throws sdk::Error: "failed" (transport, refused version, error reply), "timeout".
    const ServerIdentity& connect();

    // One request; returns its `result`. Throws sdk::Error with code
    // "mcp_error" (the server's JSON-RPC error, message kept), "timeout",
    // "cancelled", or "failed" (connection lost).
    Json request(const std::string& method, const Json& params, const RequestOptions& options = {});
    // Every page of a paginated list (tools/list, resources/list, …), joined under `key`.
    Json list_all(const std::string& method, const std::string& key, const RequestOptions& options = {});
    void notify(const std::string& method, const Json& params = nullptr);

    bool alive() const { return alive_.load(); }
    const ServerIdentity& identity() const { return identity_; }
    std::string transport_kind() const { return transport_->kind(); }
    Transport& transport() { return *transport_; }
    void close();

private:
    struct Pending {
        bool done = false;
        Json response;
        std::function<void(const Progress&)> on_progress;
        bool progressed = false;
        std::string related_call;
        int asking = 0;  // server requests related to this one being answered
    };

    void on_message(const Json& message);
    void on_response(const Json& message);
    void on_server_request(const Json& message);
    struct Relation {
        int64_t request = 0;  // our request id
        std::string call;     // its RequestOptions::related_call
    };
    void answer_server_request(const Json& id, const std::string& method, const Json& params, const std::string& related_call);
    // The in-flight call a server request just received belongs to (call_relation.hpp).
    std::optional<Relation> related_request();
    void set_asking(int64_t request, int delta);
    void on_notification(const Json& message);
    void on_progress(const Json& params);
    void on_closed(const std::string& why);
    void log(int level, const std::string& text) const;
    void reply(const Json& message);

    std::unique_ptr<Transport> transport_;
    ClientOptions options_;
    ServerIdentity identity_;
    std::atomic<bool> alive_{false};
    std::atomic<bool> closing_{false};
    std::string lost_reason_;

    std::mutex mutex_;
    std::condition_variable cv_;
    int64_t next_id_ = 1;
    std::map<int64_t, std::shared_ptr<Pending>> pending_;

    std::unique_ptr<NotificationQueue> notifications_;
    RequestWorkers server_requests_;
};

}  // namespace cowork::mcp
