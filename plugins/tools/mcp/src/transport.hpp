// transport.hpp — how JSON-RPC messages reach one MCP server: a child's
// stdin/stdout (stdio), Streamable HTTP, or the legacy HTTP+SSE pair.
// The client above sees only whole messages going out and coming in.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace cowork::mcp {

using Json = nlohmann::json;

struct TransportHandlers {
    // [transport thread] One received message (already parsed; may be invalid JSON-RPC).
    std::function<void(const Json&)> on_message;
    // [transport thread] Bytes that were not JSON at all, for a log line.
    std::function<void(const std::string&)> on_garbage;
    // [transport thread] The connection is gone (child exited, stream ended for good).
    std::function<void(const std::string& why)> on_closed;
};

class Transport {
public:
    virtual ~Transport() = default;
    // Opens the connection. Throws sdk::Error with a message a user can act on.
    virtual void open(TransportHandlers handlers) = 0;
    // [any-thread] Sends one message; throws when the connection is gone.
    virtual void send(const Json& message) = 0;
    // Called once initialize succeeded, with the negotiated protocol version
    // (HTTP sends it as a header and opens its server stream then).
    virtual void initialized(const std::string& /*protocol_version*/) {}
    // Ends the connection and releases everything it holds (processes, streams).
    // Idempotent; safe from any thread except the transport's own.
    virtual void close() = 0;
    // "stdio", "http" or "sse" — what is actually in use.
    virtual std::string kind() const = 0;
};

}  // namespace cowork::mcp
