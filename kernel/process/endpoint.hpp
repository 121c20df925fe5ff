// kernel/process/endpoint.hpp — one side of the JSON-RPC link between the
// kernel and a cowork-plugin-host child (see PROTOCOL.md).
//
// The link is symmetric and re-entrant: either side may call the other while
// it is itself serving a call. A reader thread owns the socket's read side;
// replies wake the waiting caller, requests run on a growing WorkerPool (so a
// handler may block on a nested call), notifications run in order on one
// SerialQueue, and `event` notifications are queued to the call they belong
// to and delivered on the caller's own thread (so a sink is never touched
// after its call returned, and events precede the final result).
//
// When the link ends — peer EOF, a malformed or oversized frame, or close() —
// every pending call fails with COWORK_E_FAILED and the reason, then
// `on_closed(reason)` runs once on the reader thread.
#pragma once

#include "process/frame.hpp"

#include <cowork/abi.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cowork::kernel::process {

using Json = nlohmann::json;

// JSON-RPC error codes we use.
inline constexpr int kRpcMethodNotFound = -32601;
inline constexpr int kRpcInvalidParams = -32602;
inline constexpr int kRpcInternal = -32603;

// Thrown by a request handler to answer with a JSON-RPC error object.
class RpcError : public std::runtime_error {
public:
    RpcError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    int code() const noexcept { return code_; }

private:
    int code_;
};

// The outcome of one call. status == COWORK_OK means the peer answered and
// `result` is its result; otherwise `code`/`message` say why not
// ("plugin.crashed", "plugin.timeout", "rpc.error", …).
struct Reply {
    cowork_status status = COWORK_OK;
    Json result;
    std::string code;
    std::string message;

    bool ok() const noexcept { return status == COWORK_OK; }
    Json error_json() const { return Json{{"code", code}, {"message", message}}; }
};

// Why a link ended, before the owner turns it into a message.
struct CloseCause {
    enum class Kind { PeerClosed, Protocol, Local } kind = Kind::PeerClosed;
    std::string detail;
};

class Endpoint {
public:
    using EventFn = std::function<void(std::string_view data)>;
    // [worker] Serves one request; throw RpcError for an error answer. `emit`
    // streams an `event` notification tied to this request.
    using RequestHandler = std::function<Json(const std::string& method, const Json& params, const EventFn& emit)>;
    // [serial thread] Serves one notification, in arrival order.
    using NotificationHandler = std::function<void(const std::string& method, const Json& params)>;
    // [reader thread] Turns the cause into the message pending calls fail
    // with (the process runtime reaps the child here to name the signal).
    using CloseExplainer = std::function<std::string(const CloseCause& cause)>;
    using ClosedHandler = std::function<void(const std::string& reason)>;

    struct Handlers {
        RequestHandler on_request;
        NotificationHandler on_notification;
        CloseExplainer explain_close;
        ClosedHandler on_closed;
    };
    struct Options {
        size_t max_frame = kDefaultMaxFrame;
        size_t max_workers = 64;
        // Non-zero: a write blocked this long (peer not reading) ends the link.
        std::chrono::milliseconds send_timeout{0};
        // Error codes for calls that fail because the link ended / timed out.
        std::string closed_code = "rpc.closed";
        std::string timeout_code = "rpc.timeout";
        // Who the peer is, for timeout messages ("plugin host for tool.x").
        std::string peer_name = "peer";
    };

    // Takes ownership of `fd` (a connected stream socket).
    Endpoint(int fd, Handlers handlers, Options options);
    Endpoint(int fd, Handlers handlers) : Endpoint(fd, std::move(handlers), Options{}) {}
    // Closes the link (as close()) and joins the threads.
    ~Endpoint();
    Endpoint(const Endpoint&) = delete;
    Endpoint& operator=(const Endpoint&) = delete;

    // Starts the reader thread. Handlers may run from here on.
    void start();

    // [any-thread] Calls `method` on the peer and waits for its answer, at
    // most `timeout` (none: until answered or the link ends). Events the
    // peer streams for this call reach `on_event` on this thread.
    Reply call(const std::string& method, Json params, const EventFn& on_event = {},
               std::optional<std::chrono::milliseconds> timeout = std::nullopt);

    // [any-thread] Fire-and-forget. False if the link is down.
    bool notify(const std::string& method, Json params);

    // [any-thread] Ends the link from this side (pending calls fail, then
    // on_closed runs with the explained Local cause) and stops the workers.
    // Safe from within a handler or on_closed.
    void close();

    bool closed() const;
    // Blocks until the link has ended; returns the reason.
    std::string wait_closed() const;

private:
    class Core;
    std::shared_ptr<Core> core_;
};

}  // namespace cowork::kernel::process
