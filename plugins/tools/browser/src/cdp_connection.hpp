// cdp_connection.hpp — a Chrome DevTools Protocol client over one WebSocket.
//
// The only translation unit that includes Beast (cdp_connection.cpp); the
// rest of the plugin sees this small interface. One I/O thread reads
// messages: replies complete the matching call(), events go to the handler.
// Sessions are "flat" (Target.attachToTarget flatten=true): a message for a
// tab carries its sessionId on the same socket.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace cowork::browser {

using Json = nlohmann::json;

class CdpConnection {
public:
    // Runs on the I/O thread: must not block and must not call call() (the
    // reply could never be read); send() is fine.
    using EventHandler = std::function<void(const std::string& method, const Json& params, const std::string& session)>;

    // ws://host:port/path. Throws tools::ToolFailure when it cannot connect.
    static std::unique_ptr<CdpConnection> connect(const std::string& ws_url, EventHandler on_event,
                                                  std::chrono::milliseconds timeout);
    ~CdpConnection();
    CdpConnection(const CdpConnection&) = delete;
    CdpConnection& operator=(const CdpConnection&) = delete;

    // Sends a command and waits for its reply's "result". A protocol error,
    // a timeout or a closed socket throws tools::ToolFailure naming the method.
    Json call(const std::string& method, const Json& params = Json::object(), const std::string& session = "",
              std::chrono::milliseconds timeout = std::chrono::seconds(30));
    // Sends a command and ignores its reply (usable from the event handler).
    void send(const std::string& method, const Json& params = Json::object(), const std::string& session = "");

    bool is_open() const;
    void close();

private:
    struct Impl;
    explicit CdpConnection(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// GET http://host:port/json/version of a running browser and return its
// webSocketDebuggerUrl (attach mode given an http:// URL).
std::string discover_ws_url(const std::string& host, const std::string& port, std::chrono::milliseconds timeout);

}  // namespace cowork::browser
