// mcp_client.hpp — one MCP session over any Transport: initialize with
// version negotiation, requests with timeouts, progress and cancellation,
// answers to the server's own requests (ping; -32601 for the rest), and
// notifications handed to a worker so a flood never blocks responses.
#pragma once

#include "notification_queue.hpp"
#include "transport.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cowork::mcp {

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
    };

    void on_message(const Json& message);
    void on_response(const Json& message);
    void on_server_request(const Json& message);
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
};

}  // namespace cowork::mcp
