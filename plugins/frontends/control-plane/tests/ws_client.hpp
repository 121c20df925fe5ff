// ws_client.hpp — a small synchronous WebSocket client for the tests, plus a
// libsodium device identity. Beast stays in ws_client.cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cp_test {

using Json = nlohmann::json;

struct Identity {
    std::string public_key;  // base64url
    std::vector<unsigned char> secret_key;
    static Identity generate();
    std::string sign(const std::string& message) const;  // base64url signature
};

std::string signed_string(const std::string& nonce, long long ts, const std::string& role,
                          const std::vector<std::string>& scopes);

class WsClient {
public:
    // url "ws://127.0.0.1:PORT/". origin: sent as the Origin header when set.
    explicit WsClient(const std::string& url, const std::string& origin = "", int recv_buffer = 0);
    ~WsClient();
    void send_text(const std::string& text);
    void send_binary(const std::string& bytes);
    void send(const Json& frame) { send_text(frame.dump()); }
    // Next frame, or nullopt when the server closed (close_code() then says why).
    std::optional<Json> recv(int timeout_ms = 10000);
    // Reads until the response with this id (events are collected in events()).
    Json call(const std::string& method, const Json& params = Json::object(), const std::string& idem = "");
    Json response(const Json& id, int timeout_ms = 10000);
    int close_code() const { return close_code_; }
    const std::vector<Json>& events() const { return events_; }
    // The challenge event that opened the connection.
    const Json& challenge();
    Json connect(const std::string& device_id, const Identity& id, const std::string& role,
                 const std::vector<std::string>& scopes);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    int close_code_ = 0;
    int next_id_ = 1;
    Json challenge_;
    std::vector<Json> events_;
};

std::string http_get(const std::string& host, unsigned short port, const std::string& target);

}  // namespace cp_test
