// http_client.hpp — a deliberately plain HTTP/1.1 client for the MCP host's
// tests: every header is the test's choice (bad Host, foreign Origin, no
// token), and SSE bodies are split into the JSON-RPC messages they carry.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mcp_test {

using Json = nlohmann::json;

struct Response {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;

    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? "" : it->second;
    }
    bool is_sse() const { return header("content-type").find("text/event-stream") != std::string::npos; }
    // JSON body, or the data of every SSE event in order.
    std::vector<Json> messages() const;
    // The last message (the response to the request, for SSE replies).
    Json json() const;
};

// Sends one request on a fresh connection and reads the whole response.
Response request(unsigned short port, const std::string& method, const std::string& target,
                 const std::map<std::string, std::string>& headers, const std::string& body = "");

// A client for one MCP session over Streamable HTTP.
class McpClient {
public:
    McpClient(unsigned short port, std::string token, bool sse = false)
        : port_(port), token_(std::move(token)), sse_(sse) {}

    Response initialize();  // stores the session id
    Response post(const Json& message, std::map<std::string, std::string> extra = {});
    // post() of a request with a fresh id; returns its JSON-RPC response.
    Json call(const std::string& method, const Json& params = Json::object());
    std::map<std::string, std::string> headers() const;
    const std::string& session() const { return session_; }
    unsigned short port() const { return port_; }

private:
    unsigned short port_;
    std::string token_;
    bool sse_;
    std::string session_;
    int next_id_ = 1;
};

// A GET SSE stream held open: the head is read on open, the body when the
// server ends the stream.
class SseStream {
public:
    SseStream(unsigned short port, const std::map<std::string, std::string>& headers);
    ~SseStream();
    const Response& head() const { return head_; }
    Response rest();  // blocks until the server ends the stream

private:
    struct State;
    std::unique_ptr<State> state_;
    Response head_;
};

// Opens a connection, sends `raw` and closes it without reading (a client
// that goes away mid-call).
void send_and_hang_up(unsigned short port, const std::string& raw);

// Sends `partial` and waits for the server to close the connection; true when
// it did (EOF) without sending a response.
bool server_closes(unsigned short port, const std::string& partial);

}  // namespace mcp_test
