#include <utility>  // before asio: Boost 1.74 + C++20 needs std::exchange

#include "http_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <sstream>

namespace mcp_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::vector<Json> Response::messages() const {
    std::vector<Json> out;
    if (!is_sse()) {
        if (!body.empty()) out.push_back(Json::parse(body, nullptr, false));
        return out;
    }
    std::istringstream in(body);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("data: ", 0) == 0) out.push_back(Json::parse(line.substr(6), nullptr, false));
    return out;
}

Json Response::json() const {
    auto all = messages();
    return all.empty() ? Json() : all.back();
}

namespace {

std::string raw_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::map<std::string, std::string>& headers, const std::string& body) {
    std::string raw = method + " " + target + " HTTP/1.1\r\n";
    bool has_host = false;
    for (const auto& [k, v] : headers) {
        std::string lower = k;
        std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
        if (lower == "host") has_host = true;
        raw += k + ": " + v + "\r\n";
    }
    if (!has_host) raw += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
    return raw + "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

void fill_head(Response& r, const http::response_parser<http::string_body>& parser) {
    const auto& msg = parser.get();
    r.status = static_cast<int>(msg.result_int());
    for (const auto& f : msg) {
        std::string name(f.name_string().data(), f.name_string().size());
        std::transform(name.begin(), name.end(), name.begin(), ::tolower);
        r.headers[name] = std::string(f.value().data(), f.value().size());
    }
}

}  // namespace

struct SseStream::State {
    asio::io_context ioc;
    tcp::socket socket{ioc};
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
};

SseStream::SseStream(unsigned short port, const std::map<std::string, std::string>& headers)
    : state_(std::make_unique<State>()) {
    state_->socket.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(state_->socket, asio::buffer(raw_request(port, "GET", "/mcp", headers, "")));
    beast::error_code ec;
    http::read_header(state_->socket, state_->buffer, state_->parser, ec);
    if (!ec) fill_head(head_, state_->parser);
}

SseStream::~SseStream() = default;

Response SseStream::rest() {
    beast::error_code ec;
    http::read(state_->socket, state_->buffer, state_->parser, ec);
    Response r = head_;
    r.body = state_->parser.get().body();
    return r;
}

Response request(unsigned short port, const std::string& method, const std::string& target,
                 const std::map<std::string, std::string>& headers, const std::string& body) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(socket, asio::buffer(raw_request(port, method, target, headers, body)));
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    beast::error_code ec;
    http::read(socket, buffer, parser, ec);
    Response r;
    if (ec && !parser.is_header_done()) return r;  // status 0: no response
    fill_head(r, parser);
    r.body = parser.get().body();
    return r;
}

std::map<std::string, std::string> McpClient::headers() const {
    std::map<std::string, std::string> h{{"Content-Type", "application/json"},
                                         {"Accept", sse_ ? "application/json, text/event-stream" : "application/json"}};
    if (!token_.empty()) h["Authorization"] = "Bearer " + token_;
    if (!session_.empty()) h["Mcp-Session-Id"] = session_;
    return h;
}

Response McpClient::initialize() {
    const Json init{{"jsonrpc", "2.0"}, {"id", 0}, {"method", "initialize"},
                    {"params", {{"protocolVersion", "2025-06-18"}, {"capabilities", Json::object()},
                                {"clientInfo", {{"name", "mcp-host-test"}, {"version", "1"}}}}}};
    Response r = post(init);
    session_ = r.header("mcp-session-id");
    if (!session_.empty()) post({{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
    return r;
}

Response McpClient::post(const Json& message, std::map<std::string, std::string> extra) {
    auto h = headers();
    for (auto& [k, v] : extra) h[k] = v;
    return request(port_, "POST", "/mcp", h, message.dump());
}

Json McpClient::call(const std::string& method, const Json& params) {
    return post({{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}, {"params", params}}).json();
}

void send_and_hang_up(unsigned short port, const std::string& raw) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(socket, asio::buffer(raw));
    beast::error_code ec;
    socket.shutdown(tcp::socket::shutdown_both, ec);
    socket.close(ec);
}

bool server_closes(unsigned short port, const std::string& partial) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(socket, asio::buffer(partial));
    char byte;
    beast::error_code ec;
    const size_t n = socket.read_some(asio::buffer(&byte, 1), ec);
    return n == 0 && (ec == asio::error::eof || ec == asio::error::connection_reset);
}

}  // namespace mcp_test
