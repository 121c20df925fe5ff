// session.hpp — one MCP session: who the client is, what it negotiated, its
// subscriptions, its log level, its requests in flight, and the stream that
// carries server-initiated messages (HTTP GET SSE, or stdout for stdio).
#pragma once

#include "event_store.hpp"
#include "identity.hpp"
#include "jsonrpc.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace cowork::mcp {

// Protocol versions this host speaks, newest first.
inline const std::vector<std::string> kProtocolVersions{"2025-11-25", "2025-06-18", "2025-03-26"};
bool supported_version(const std::string& v);

// RFC 5424 severities as MCP names them, lowest first.
int log_level_rank(const std::string& level);  // -1: unknown

class Session {
public:
    // A server-initiated message sink; returns false once the stream is gone.
    // A null message means "the session ended": close the stream.
    using Stream = std::function<bool(const Json& message)>;

    Session(std::string id, Identity identity) : id_(std::move(id)), identity_(std::move(identity)) {}

    const std::string& id() const { return id_; }
    const Identity& identity() const { return identity_; }

    void initialize(std::string version, Json client_capabilities);
    bool initialized() const { return initialized_; }
    // Whether the client declared this capability ("elicitation", "sampling", …).
    bool client_supports(const std::string& capability) const;
    std::string protocol_version() const;

    void set_log_level(int rank) { log_rank_ = rank; }
    bool logs_at(int rank) const { return rank >= log_rank_; }

    void subscribe(const std::string& uri);
    void unsubscribe(const std::string& uri);
    bool subscribed(const std::string& uri) const;

    // [any-thread] The standalone stream; a new one replaces the old (one GET
    // stream per session, as the transport spec allows).
    uint64_t attach(Stream stream);
    void detach(uint64_t token);
    bool has_stream() const;
    bool push(const Json& message);  // false: no stream attached
    void end();                      // the session is over: its stream closes

    // Requests in flight, so notifications/cancelled can reach them. A
    // cancellation that arrives before its request started is kept, so the
    // request starts cancelled.
    static constexpr size_t kMaxInflight = 1024;
    std::shared_ptr<std::atomic<bool>> begin_request(const Json& id);
    void end_request(const Json& id);
    void cancel(const Json& id);
    // Runs when the client cancels this request (once; dropped by end_request).
    void on_cancel(const Json& id, std::function<void()> hook);

    // Requests this server sends the client (elicitation/create,
    // sampling/createMessage). send_request() builds the message and files
    // `on_response` under its id; the client's response reaches it through
    // deliver(). At most kMaxPendingRequests wait at once.
    static constexpr size_t kMaxPendingRequests = 64;
    using ResponseFn = std::function<void(const Json& result, const Json& error)>;
    // The request to write to the client, or null when too many are pending.
    Json send_request(const std::string& method, Json params, ResponseFn on_response);
    bool deliver(const Json& id, const Json& result, const Json& error);  // false: no such request
    void forget_request(const Json& id);

    // The session's resumable SSE streams (HTTP only; dies with the session).
    EventStore& events() { return events_; }

    void touch() { last_used_ = std::chrono::steady_clock::now().time_since_epoch().count(); }
    std::chrono::steady_clock::duration idle() const;

private:
    const std::string id_;
    const Identity identity_;
    std::atomic<bool> initialized_{false};
    std::atomic<int> log_rank_{1};  // info
    std::atomic<std::chrono::steady_clock::rep> last_used_{std::chrono::steady_clock::now().time_since_epoch().count()};
    mutable std::mutex mutex_;
    std::string version_;
    Json client_capabilities_ = Json::object();
    std::set<std::string> subscriptions_;
    Stream stream_;
    uint64_t stream_token_ = 0;
    std::map<std::string, std::shared_ptr<std::atomic<bool>>> inflight_;
    EventStore events_;
    std::map<std::string, std::function<void()>> cancel_hooks_;
    uint64_t next_request_ = 0;
    std::map<std::string, ResponseFn> pending_;
};

}  // namespace cowork::mcp
