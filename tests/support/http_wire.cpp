#include "http_wire.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace cowork::testing::wire {
namespace {

constexpr size_t kMaxHead = 1 << 20;  // a bigger head is a broken client

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

const char* reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

bool has_header(const ScriptedResponse& r, const std::string& name) {
    return std::any_of(r.headers.begin(), r.headers.end(), [&](const auto& h) { return lower(h.first) == name; });
}

bool says_close(const ScriptedResponse& r) {
    return std::any_of(r.headers.begin(), r.headers.end(), [](const auto& h) {
        return lower(h.first) == "connection" && lower(h.second).find("close") != std::string::npos;
    });
}

std::string head_of(const ScriptedResponse& r) {
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) + "\r\n";
    for (const auto& [name, value] : r.headers) head += name + ": " + value + "\r\n";
    if (r.chunked && !has_header(r, "transfer-encoding")) head += "Transfer-Encoding: chunked\r\n";
    if (!r.chunked && !has_header(r, "content-length")) {
        size_t total = 0;
        for (const auto& c : r.chunks) total += c.size();
        head += "Content-Length: " + std::to_string(total) + "\r\n";
    }
    return head + "\r\n";
}

std::string framed(const ScriptedResponse& r, const std::string& chunk) {
    if (!r.chunked) return chunk;
    if (chunk.empty()) return {};  // an empty chunk would end the body early
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
    return size + chunk + "\r\n";
}

}  // namespace

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

Conn::~Conn() {
    if (ssl_) SSL_free(ssl_);
    ::close(fd_);
}

bool Conn::handshake() { return !ssl_ || SSL_accept(ssl_) == 1; }

long Conn::read_some(char* buf, size_t size) {
    if (ssl_) {
        const int n = SSL_read(ssl_, buf, static_cast<int>(size));
        return n > 0 ? n : 0;
    }
    for (;;) {
        const ssize_t n = ::recv(fd_, buf, size, 0);
        if (n < 0 && errno == EINTR) continue;
        return n > 0 ? n : 0;
    }
}

bool Conn::write_all(const std::string& data) {
    size_t done = 0;
    while (done < data.size()) {
        if (ssl_) {
            const int n = SSL_write(ssl_, data.data() + done, static_cast<int>(data.size() - done));
            if (n <= 0) return false;
            done += static_cast<size_t>(n);
            continue;
        }
        const ssize_t n = ::send(fd_, data.data() + done, data.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

void Conn::shutdown_both() { ::shutdown(fd_, SHUT_RDWR); }

bool RequestReader::fill() {
    char chunk[16384];
    const long n = conn_.read_some(chunk, sizeof chunk);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
}

std::optional<std::string> RequestReader::take_line() {
    size_t end;
    while ((end = buf_.find("\r\n")) == std::string::npos) {
        if (buf_.size() > kMaxHead || !fill()) return std::nullopt;
    }
    std::string line = buf_.substr(0, end);
    buf_.erase(0, end + 2);
    return line;
}

std::optional<RecordedRequest> RequestReader::next() {
    auto line = take_line();
    while (line && line->empty()) line = take_line();  // tolerate stray CRLFs between requests
    if (!line) return std::nullopt;
    RecordedRequest r;
    const auto sp1 = line->find(' '), sp2 = line->rfind(' ');
    if (sp1 == std::string::npos || sp2 == sp1) return std::nullopt;
    r.method = line->substr(0, sp1);
    r.target = line->substr(sp1 + 1, sp2 - sp1 - 1);
    for (;;) {
        auto header = take_line();
        if (!header) return std::nullopt;
        if (header->empty()) break;
        const auto colon = header->find(':');
        if (colon == std::string::npos) return std::nullopt;
        r.headers[lower(header->substr(0, colon))] = trim(header->substr(colon + 1));
    }
    if (!read_body(r)) return std::nullopt;
    return r;
}

bool RequestReader::read_body(RecordedRequest& r) {
    if (auto te = r.headers.find("transfer-encoding"); te != r.headers.end() && lower(te->second) == "chunked")
        return read_chunked(r);
    auto cl = r.headers.find("content-length");
    const size_t length = cl == r.headers.end() ? 0 : std::stoul(cl->second);
    while (buf_.size() < length)
        if (!fill()) return false;
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return true;
}

bool RequestReader::read_chunked(RecordedRequest& r) {
    for (;;) {
        auto size_line = take_line();
        if (!size_line) return false;
        const size_t size = std::stoul(*size_line, nullptr, 16);
        if (size == 0) {
            while (auto trailer = take_line())
                if (trailer->empty()) return true;
            return false;
        }
        while (buf_.size() < size + 2)
            if (!fill()) return false;
        r.body += buf_.substr(0, size);
        buf_.erase(0, size + 2);
    }
}

void Stopper::stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    cv_.notify_all();
}

bool Stopper::sleep(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex_);
    return !cv_.wait_for(lock, d, [&] { return stopped_.load(); });
}

bool write_response(Conn& conn, const ScriptedResponse& r, bool client_wants_close, Stopper& stopper) {
    if (!r.raw.empty()) {
        (void)conn.write_all(r.raw);
        return false;  // raw framing is unknown: end the connection after it
    }
    if (!conn.write_all(head_of(r))) return false;
    for (size_t i = 0; i < r.chunks.size(); ++i) {
        if (i > 0 && r.delay_between.count() > 0 && !stopper.sleep(r.delay_between)) return false;
        if (!conn.write_all(framed(r, r.chunks[i]))) return false;
        if (r.close_mid_body) return false;
    }
    if (r.chunked && !conn.write_all("0\r\n\r\n")) return false;
    return !client_wants_close && !says_close(r);
}

}  // namespace cowork::testing::wire
