#include <utility>

#include "ws_client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <sodium.h>

#include <stdexcept>

namespace cp_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {
std::string b64url(const unsigned char* d, size_t n) {
    std::string out(sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), d, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}
}  // namespace

Identity Identity::generate() {
    if (sodium_init() < 0) throw std::runtime_error("sodium");
    Identity id;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    id.secret_key.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(pk, id.secret_key.data());
    id.public_key = b64url(pk, sizeof pk);
    return id;
}

std::string Identity::sign(const std::string& m) const {
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(m.data()), m.size(), secret_key.data());
    return b64url(sig, sizeof sig);
}

std::string signed_string(const std::string& nonce, long long ts, const std::string& role,
                          const std::vector<std::string>& scopes) {
    std::string joined;
    for (size_t i = 0; i < scopes.size(); ++i) joined += (i ? "," : "") + scopes[i];
    return "cowork-connect-v1\n" + nonce + "\n" + std::to_string(ts) + "\n" + role + "\n" + joined;
}

struct WsClient::Impl {
    asio::io_context ioc;
    websocket::stream<tcp::socket> ws{ioc};
    beast::flat_buffer buffer;
};

WsClient::WsClient(const std::string& url, const std::string& origin, int recv_buffer) : impl_(std::make_unique<Impl>()) {
    // ws://host:port/
    const auto hp = url.substr(5, url.find('/', 5) - 5);
    const auto colon = hp.rfind(':');
    const std::string host = hp.substr(0, colon), port = hp.substr(colon + 1);
    tcp::resolver r(impl_->ioc);
    auto& sock = impl_->ws.next_layer();
    sock.open(tcp::v4());
    if (recv_buffer) sock.set_option(asio::socket_base::receive_buffer_size(recv_buffer));
    asio::connect(sock, r.resolve(host, port));
    impl_->ws.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
        if (!origin.empty()) req.set(beast::http::field::origin, origin);
    }));
    impl_->ws.read_message_max(64 << 20);
    impl_->ws.handshake(host + ":" + port, "/");
}

WsClient::~WsClient() {
    beast::error_code ec;
    impl_->ws.next_layer().close(ec);
}

void WsClient::send_text(const std::string& text) {
    impl_->ws.text(true);
    impl_->ws.write(asio::buffer(text));
}

void WsClient::send_binary(const std::string& bytes) {
    impl_->ws.binary(true);
    impl_->ws.write(asio::buffer(bytes));
}

std::optional<Json> WsClient::recv(int timeout_ms) {
    auto& i = *impl_;
    beast::error_code result = asio::error::would_block;
    i.ws.async_read(i.buffer, [&](beast::error_code ec, size_t) { result = ec; });
    i.ioc.restart();
    i.ioc.run_for(std::chrono::milliseconds(timeout_ms));
    if (result == asio::error::would_block) {
        beast::error_code ec;
        i.ws.next_layer().cancel(ec);
        i.ioc.restart();
        i.ioc.run();
        throw std::runtime_error("recv timed out");
    }
    if (result) {
        close_code_ = i.ws.reason().code;
        return std::nullopt;
    }
    const std::string text = beast::buffers_to_string(i.buffer.data());
    i.buffer.consume(i.buffer.size());
    return Json::parse(text);
}

Json WsClient::response(const Json& id, int timeout_ms) {
    for (;;) {
        auto f = recv(timeout_ms);
        if (!f) return Json{{"closed", close_code_}};
        if (f->value("type", "") == "event") {
            if (f->value("event", "") == "connect.challenge") challenge_ = *f;
            events_.push_back(*f);
            continue;
        }
        if ((*f)["id"] == id) return *f;
    }
}

Json WsClient::call(const std::string& method, const Json& params, const std::string& idem) {
    const std::string id = "r" + std::to_string(next_id_++);
    Json frame{{"type", "req"}, {"id", id}, {"method", method}, {"params", params}};
    if (!idem.empty()) frame["idempotencyKey"] = idem;
    send(frame);
    return response(id);
}

const Json& WsClient::challenge() {
    while (challenge_.is_null()) {
        auto f = recv();
        if (!f) throw std::runtime_error("closed before the challenge");
        if (f->value("event", "") == "connect.challenge") challenge_ = *f;
    }
    return challenge_;
}

Json WsClient::connect(const std::string& device_id, const Identity& id, const std::string& role,
                       const std::vector<std::string>& scopes) {
    const Json& c = challenge()["payload"];
    const std::string nonce = c["nonce"];
    const long long ts = c["ts"];
    return call("connect", {{"deviceId", device_id}, {"nonce", nonce}, {"ts", ts}, {"role", role}, {"scopes", scopes},
                            {"signature", id.sign(signed_string(nonce, ts, role, scopes))}});
}

std::string http_get(const std::string& host, unsigned short port, const std::string& target) {
    asio::io_context ioc;
    tcp::socket s(ioc);
    s.connect({asio::ip::make_address(host), port});
    beast::http::request<beast::http::empty_body> req(beast::http::verb::get, target, 11);
    req.set(beast::http::field::host, host);
    beast::http::write(s, req);
    beast::flat_buffer b;
    beast::http::response<beast::http::string_body> res;
    beast::http::read(s, b, res);
    return std::to_string(res.result_int()) + " " + res.body();
}

}  // namespace cp_test
