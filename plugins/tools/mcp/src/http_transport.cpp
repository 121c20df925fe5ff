#include "http_transport.hpp"

#include "json_rpc.hpp"
#include "oauth/authorizer.hpp"
#include "stream_origin.hpp"

#include <cowork/sdk/error.hpp>
#include <cowork/sdk/llm/sse.hpp>

namespace cowork::mcp {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string header(const Json& headers, const std::string& name) {
    if (!headers.is_object()) return "";
    for (const auto& [k, v] : headers.items())
        if (lower(k) == name && v.is_string()) return v.get<std::string>();
    return "";
}

// A 401 starts the flow, a 403 may step it up; more rounds than this for one
// message mean the server will never be satisfied (the spec asks for a limit).
constexpr int kMaxAuthRounds = 2;


// "scheme://authority" of an absolute URL.
std::string origin_of(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return url;
    const auto path = url.find('/', scheme_end + 3);
    return path == std::string::npos ? url : url.substr(0, path);
}

}  // namespace

std::string resolve_endpoint(const std::string& base, const std::string& endpoint) {
    if (endpoint.rfind("http://", 0) == 0 || endpoint.rfind("https://", 0) == 0) return endpoint;
    if (!endpoint.empty() && endpoint[0] == '/') return origin_of(base) + endpoint;
    const auto query = base.find('?');
    const std::string path = base.substr(0, query);
    return path.substr(0, path.rfind('/') + 1) + endpoint;
}

HttpTransport::HttpTransport(sdk::Host host, HttpOptions options) : host_(host), options_(std::move(options)) {
    legacy_ = options_.legacy_only;
}

HttpTransport::~HttpTransport() { close(); }

void HttpTransport::log(int level, const std::string& text) const {
    if (options_.log) options_.log(level, text);
}

std::string HttpTransport::kind() const { return legacy_ ? "sse" : "http"; }

std::string HttpTransport::session_id() const {
    std::lock_guard lock(mutex_);
    return session_id_;
}

std::string HttpTransport::next_request_id() {
    return "mcp-" + host_.plugin_id() + "-" + std::to_string(reinterpret_cast<uintptr_t>(this)) + "-" +
           std::to_string(++counter_);
}

Json HttpTransport::base_headers(bool for_post) const {
    Json h = Json::object();
    for (const auto& [k, v] : options_.headers) h[k] = v;
    if (options_.authorizer)
        if (const std::string token = options_.authorizer->access_token(); !token.empty()) h["Authorization"] = "Bearer " + token;
    std::lock_guard lock(mutex_);
    if (!legacy_) {
        if (!session_id_.empty()) h["Mcp-Session-Id"] = session_id_;
        if (!protocol_version_.empty()) h["MCP-Protocol-Version"] = protocol_version_;
    }
    if (for_post) {
        h["Content-Type"] = "application/json";
        h["Accept"] = "application/json, text/event-stream";
    } else {
        h["Accept"] = "text/event-stream";
    }
    return h;
}

void HttpTransport::open(TransportHandlers handlers) {
    handlers_ = std::move(handlers);
    if (legacy_) open_legacy_stream();
}

void HttpTransport::spawn(std::function<void()> fn) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    std::lock_guard lock(mutex_);
    reap_workers(false);
    workers_.push_back({std::thread([fn = std::move(fn), done] {
                            try {
                                fn();
                            } catch (...) {
                            }
                            *done = true;
                        }),
                        done});
}

// Caller holds mutex_ when !all.
void HttpTransport::reap_workers(bool all) {
    for (auto it = workers_.begin(); it != workers_.end();) {
        if (all || *it->done) {
            if (it->thread.joinable() && it->thread.get_id() != std::this_thread::get_id()) it->thread.join();
            else if (it->thread.joinable()) it->thread.detach();
            it = workers_.erase(it);
        } else {
            ++it;
        }
    }
}

void HttpTransport::fail_request(const Json& message, const std::string& why) {
    if (is_request(message)) handlers_.on_message(rpc::error(message["id"], -32000, why));
    else log(COWORK_LOG_WARN, "sending " + message.value("method", std::string("a message")) + " failed: " + why);
}

void HttpTransport::consume_sse_event(const std::string& event, const std::string& data, const std::string& id) {
    if (!id.empty()) {
        std::lock_guard lock(mutex_);
        last_event_id_ = id;
    }
    if (event == "endpoint") {
        {
            std::lock_guard lock(mutex_);
            legacy_endpoint_ = resolve_endpoint(options_.url, data);
        }
        cv_.notify_all();
        return;
    }
    if (event != "message" || data.empty()) return;  // priming events carry an id and no data
    const Json message = Json::parse(data, nullptr, false);
    if (message.is_discarded()) {
        if (handlers_.on_garbage) handlers_.on_garbage(data.substr(0, 200));
        return;
    }
    handlers_.on_message(message);
}

int HttpTransport::post_streamable(const Json& message, int auth_round) {
    const StreamOrigin origin(message);  // server requests on this POST's stream belong to `message`
    const std::string rid = next_request_id();
    {
        std::lock_guard lock(mutex_);
        open_requests_[rid] = true;
    }
    const bool initialize = message.value("method", "") == "initialize";
    int status = 0;
    std::string content_type;
    std::string www_authenticate;
    std::string json_body;
    bool got_response = false;
    std::string stream_event_id;
    sdk::llm::SseParser parser([&](const sdk::llm::SseEvent& e) {
        if (!e.id.empty()) stream_event_id = e.id;
        got_response = got_response || answers(e, message);
        consume_sse_event(e.event, e.data, e.id);
    });
    Json req{{"requestId", rid},
             {"method", "POST"},
             {"url", options_.url},
             {"headers", base_headers(true)},
             {"body", message.dump(-1, ' ', false, Json::error_handler_t::replace)},
             {"connectTimeoutMs", options_.connect_timeout.count()},
             // The answer to a long tool call may stream for as long as the tool runs;
             // the client's own request timeout (with cancel) bounds it, not this.
             {"timeoutMs", 24LL * 3600 * 1000},
             {"idleTimeoutMs", options_.request_timeout.count() * 10},
             {"maxBytes", options_.max_message_bytes}};
    try {
        host_.http(
            req,
            [&](std::string_view chunk) {
                if (status >= 200 && status < 300 && content_type.find("text/event-stream") != std::string::npos)
                    parser.feed(chunk);
                else if (json_body.size() < options_.max_message_bytes)
                    json_body.append(chunk);
            },
            [&](int s, const Json& headers) {
                status = s;
                content_type = lower(header(headers, "content-type"));
                www_authenticate = header(headers, "www-authenticate");
                const std::string sid = header(headers, "mcp-session-id");
                if (initialize && !sid.empty()) {
                    std::lock_guard lock(mutex_);
                    session_id_ = sid;
                }
            });
    } catch (const sdk::Error& e) {
        std::lock_guard lock(mutex_);
        open_requests_.erase(rid);
        if (closed_) return 0;
        if (initialize) throw;
        fail_request(message, e.what());
        return 0;
    }
    {
        std::lock_guard lock(mutex_);
        open_requests_.erase(rid);
    }
    if ((status == 401 || status == 403) && options_.authorizer) {
        const std::string sent = req["headers"].value("Authorization", "");
        const std::string token_sent = sent.rfind("Bearer ", 0) == 0 ? sent.substr(7) : "";
        std::string why = "HTTP " + std::to_string(status) + " from " + options_.url +
                          " although the client authorized " + std::to_string(auth_round) + " times for this request";
        if (auth_round < kMaxAuthRounds && !closed_) {
            const auto outcome = options_.authorizer->on_challenge(status, www_authenticate, token_sent);
            if (outcome.retry) return post_streamable(message, auth_round + 1);
            why = outcome.why;
        }
        if (initialize) throw sdk::failed(why);
        fail_request(message, why);
        return status;
    }
    if (status >= 400 && status < 500 && initialize && !options_.legacy_only) return status;  // caller may fall back
    if (status == 404 && !session_id().empty()) {
        fail_request(message, "the server no longer knows this session (HTTP 404); reconnecting starts a new one");
        if (handlers_.on_closed) handlers_.on_closed("session expired (HTTP 404)");
        return status;
    }
    if (status < 200 || status >= 300) {
        fail_request(message, "HTTP " + std::to_string(status) + " from " + options_.url + ": " + json_body.substr(0, 300));
        return status;
    }
    if (status == 202 || json_body.empty()) {
        if (is_request(message) && content_type.find("text/event-stream") != std::string::npos && !got_response) {
            // The server closed the stream early (e.g. to free the connection); the
            // spec lets the client resume it with GET + Last-Event-ID after `retry`.
            if (!stream_event_id.empty() && !closed_) {
                resume_stream(message, stream_event_id, parser.retry_ms());
                return status;
            }
            fail_request(message, "the server's event stream ended before it answered");
        }
        return status;
    }
    const Json body = Json::parse(json_body, nullptr, false);
    if (body.is_discarded()) {
        fail_request(message, "the server answered with something that is not JSON (" + content_type + ")");
        return status;
    }
    handlers_.on_message(body);
    return status;
}

bool HttpTransport::answers(const sdk::llm::SseEvent& e, const Json& request) {
    if (e.event != "message" || e.data.empty() || !request.contains("id")) return false;
    const Json m = Json::parse(e.data, nullptr, false);
    return m.is_object() && m.contains("id") && m["id"] == request["id"] && !m.contains("method");
}

void HttpTransport::resume_stream(const Json& message, std::string last_id, long retry_ms) {
    for (int attempt = 0; attempt < 5 && !closed_; ++attempt) {
        {
            std::unique_lock lock(mutex_);
            const auto wait = std::chrono::milliseconds(retry_ms >= 0 ? retry_ms : 1000);
            if (cv_.wait_for(lock, wait, [this] { return closed_.load(); })) return;
        }
        const std::string rid = next_request_id();
        {
            std::lock_guard lock(mutex_);
            if (closed_) return;
            open_requests_[rid] = true;
        }
        Json headers = base_headers(false);
        headers["Last-Event-ID"] = last_id;
        bool answered = false;
        int status = 0;
        sdk::llm::SseParser parser([&](const sdk::llm::SseEvent& e) {
            if (!e.id.empty()) last_id = e.id;
            const bool mine = answers(e, message);
            consume_sse_event(e.event, e.data, e.id);
            if (mine) {
                answered = true;
                host_.http_cancel(rid);  // the answer is in; this stream's job is done
            }
        });
        try {
            host_.http({{"requestId", rid}, {"method", "GET"}, {"url", options_.url}, {"headers", headers},
                        {"connectTimeoutMs", options_.connect_timeout.count()}, {"timeoutMs", 24LL * 3600 * 1000}},
                       [&](std::string_view chunk) {
                           if (status == 200) parser.feed(chunk);
                       },
                       [&](int s, const Json&) { status = s; });
        } catch (const std::exception& e) {
            if (!answered) log(COWORK_LOG_DEBUG, std::string("resuming the stream: ") + e.what());
        }
        {
            std::lock_guard lock(mutex_);
            open_requests_.erase(rid);
        }
        if (answered || closed_) return;
        if (status != 200) break;
        if (parser.retry_ms() >= 0) retry_ms = parser.retry_ms();
    }
    if (!closed_) fail_request(message, "the server's event stream ended before it answered, and resuming it failed");
}

void HttpTransport::post_legacy(const Json& message) {
    std::string endpoint;
    {
        std::lock_guard lock(mutex_);
        endpoint = legacy_endpoint_;
    }
    Json req{{"requestId", next_request_id()},
             {"method", "POST"},
             {"url", endpoint},
             {"headers", base_headers(true)},
             {"body", message.dump(-1, ' ', false, Json::error_handler_t::replace)},
             {"connectTimeoutMs", options_.connect_timeout.count()},
             {"timeoutMs", options_.request_timeout.count()}};
    const Json out = host_.http(req);
    const int status = out.value("status", 0);
    if (status < 200 || status >= 300)
        fail_request(message, "HTTP " + std::to_string(status) + " from " + endpoint + ": " +
                                  out.value("body", std::string()).substr(0, 300));
}

void HttpTransport::open_legacy_stream() {
    legacy_ = true;
    const std::string rid = next_request_id();
    {
        std::lock_guard lock(mutex_);
        open_requests_[rid] = true;
    }
    spawn([this, rid] {
        sdk::llm::SseParser parser([this](const sdk::llm::SseEvent& e) { consume_sse_event(e.event, e.data, e.id); });
        std::string why = "the SSE stream ended";
        try {
            int status = 0;
            host_.http({{"requestId", rid},
                        {"method", "GET"},
                        {"url", options_.url},
                        {"headers", base_headers(false)},
                        {"connectTimeoutMs", options_.connect_timeout.count()},
                        {"timeoutMs", 365LL * 24 * 3600 * 1000}},
                       [&](std::string_view chunk) {
                           if (status == 200) parser.feed(chunk);
                       },
                       [&](int s, const Json&) { status = s; });
            if (status != 200) why = "GET " + options_.url + " answered HTTP " + std::to_string(status) + ", not an SSE stream";
        } catch (const std::exception& e) {
            why = e.what();
        }
        {
            std::lock_guard lock(mutex_);
            open_requests_.erase(rid);
            legacy_stream_failed_ = true;
            legacy_failure_ = why;
        }
        cv_.notify_all();
        if (!closed_ && handlers_.on_closed) handlers_.on_closed(why);
    });
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, options_.connect_timeout, [this] { return !legacy_endpoint_.empty() || legacy_stream_failed_; }))
        throw sdk::Error(COWORK_E_TIMEOUT, "timeout", "no `endpoint` event from " + options_.url + " within the connect timeout");
    if (legacy_endpoint_.empty()) throw sdk::failed("legacy SSE transport: " + legacy_failure_);
}

void HttpTransport::send(const Json& message) {
    if (closed_) throw sdk::failed("the MCP connection is closed");
    if (legacy_) {
        // The POST answers only 202; run it aside so a slow server never blocks the reader.
        spawn([this, message] {
            try {
                post_legacy(message);
            } catch (const std::exception& e) {
                fail_request(message, e.what());
            }
        });
        return;
    }
    if (message.value("method", "") == "initialize") {
        // Synchronous: its status decides between Streamable HTTP and the legacy fallback.
        const int status = post_streamable(message);
        if (status >= 400 && status < 500) {
            log(COWORK_LOG_INFO, "POST " + options_.url + " answered HTTP " + std::to_string(status) +
                                     "; trying the legacy HTTP+SSE transport");
            open_legacy_stream();
            post_legacy(message);
        }
        return;
    }
    spawn([this, message] { post_streamable(message); });
}

void HttpTransport::initialized(const std::string& protocol_version) {
    {
        std::lock_guard lock(mutex_);
        protocol_version_ = protocol_version;
    }
    if (!legacy_) spawn([this] { run_get_stream(); });
}

void HttpTransport::run_get_stream() {
    // The optional server→client stream: list_changed and server requests
    // arrive here. 405 means the server offers none; a dropped stream is
    // resumed with Last-Event-ID so nothing sent meanwhile is lost.
    int attempts = 0;
    while (!closed_ && attempts < 20) {
        const std::string rid = next_request_id();
        {
            std::lock_guard lock(mutex_);
            if (closed_) return;
            open_requests_[rid] = true;
        }
        Json headers = base_headers(false);
        {
            std::lock_guard lock(mutex_);
            if (!last_event_id_.empty()) headers["Last-Event-ID"] = last_event_id_;
        }
        int status = 0;
        sdk::llm::SseParser parser([this](const sdk::llm::SseEvent& e) { consume_sse_event(e.event, e.data, e.id); });
        try {
            host_.http({{"requestId", rid},
                        {"method", "GET"},
                        {"url", options_.url},
                        {"headers", headers},
                        {"connectTimeoutMs", options_.connect_timeout.count()},
                        {"timeoutMs", 365LL * 24 * 3600 * 1000}},
                       [&](std::string_view chunk) {
                           if (status == 200) parser.feed(chunk);
                       },
                       [&](int s, const Json&) { status = s; });
        } catch (const std::exception& e) {
            if (!closed_) log(COWORK_LOG_DEBUG, std::string("GET stream: ") + e.what());
        }
        {
            std::lock_guard lock(mutex_);
            open_requests_.erase(rid);
        }
        if (status == 405 || (status >= 400 && status != 429 && status < 500)) return;  // no server stream offered
        if (status == 200) attempts = 0;
        ++attempts;
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::milliseconds(std::min(1000 * attempts, 10000)), [this] { return closed_.load(); });
    }
}

void HttpTransport::close() {
    if (closed_.exchange(true)) return;
    std::vector<std::string> open;
    std::string session;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [rid, _] : open_requests_) open.push_back(rid);
        session = legacy_ ? "" : session_id_;
    }
    cv_.notify_all();
    for (const auto& rid : open) host_.http_cancel(rid);
    if (!session.empty()) {
        try {  // tell the server the session is over; it may answer 405 (not supported), that is fine
            Json h = Json::object();
            for (const auto& [k, v] : options_.headers) h[k] = v;
            if (options_.authorizer)
                if (const std::string token = options_.authorizer->access_token(); !token.empty())
                    h["Authorization"] = "Bearer " + token;
            h["Mcp-Session-Id"] = session;
            if (!protocol_version_.empty()) h["MCP-Protocol-Version"] = protocol_version_;
            host_.http({{"requestId", next_request_id()}, {"method", "DELETE"}, {"url", options_.url}, {"headers", h},
                        {"connectTimeoutMs", 2000}, {"timeoutMs", 5000}});
        } catch (...) {
        }
    }
    // Requests started after the snapshot above see closed_ and are cancelled here.
    for (int i = 0; i < 3; ++i) {
        {
            std::lock_guard lock(mutex_);
            open.clear();
            for (const auto& [rid, _] : open_requests_) open.push_back(rid);
        }
        for (const auto& rid : open) host_.http_cancel(rid);
    }
    std::list<Worker> workers;
    {
        std::lock_guard lock(mutex_);
        workers.swap(workers_);
    }
    for (auto& w : workers)
        if (w.thread.joinable()) {
            if (w.thread.get_id() == std::this_thread::get_id()) w.thread.detach();
            else w.thread.join();
        }
}

}  // namespace cowork::mcp
