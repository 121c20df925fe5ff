// http_client.hpp — a blocking HTTP/1.1 client on plain POSIX sockets, for
// the tests: it sends exactly the bytes it is told (so it can also stall,
// lie about lengths or trickle a header) and parses one response.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>

namespace hooks_test {

using Json = nlohmann::json;

struct HttpResponse {
    int status = 0;                              // 0: no response (connection closed first)
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    Json json() const { return Json::parse(body, nullptr, false); }
};

// A TCP connection to 127.0.0.1:port with a 30 s receive timeout.
class Connection {
public:
    explicit Connection(unsigned short port);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    bool send(const std::string& bytes);
    // The next response on this connection (keeps extra bytes for the next);
    // interim 1xx responses are skipped unless skip_interim is false.
    HttpResponse read_response(bool skip_interim = true);
    // True when the server closed the connection (EOF) within timeout_ms.
    bool closed_by_peer(int timeout_ms);
    bool connected() const { return fd_ >= 0; }

private:
    bool fill();
    int fd_ = -1;
    std::string buf_;
};

// The request bytes: Host and Content-Length added; Connection: close unless keep_alive.
std::string format_request(const std::string& method, const std::string& path,
                           const std::map<std::string, std::string>& headers, const std::string& body,
                           bool keep_alive = false);

// One request on a fresh connection.
HttpResponse request(unsigned short port, const std::string& method, const std::string& path,
                     const std::map<std::string, std::string>& headers = {}, const std::string& body = "");

// A JSON POST with a bearer token (omitted when empty).
HttpResponse post_json(unsigned short port, const std::string& path, const Json& body, const std::string& token = "",
                       std::map<std::string, std::string> headers = {});

}  // namespace hooks_test
