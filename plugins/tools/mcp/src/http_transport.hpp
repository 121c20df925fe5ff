// http_transport.hpp — MCP over HTTP through the kernel's cowork.http/1:
//   Streamable HTTP (2025-03-26+): every message is a POST answered with
//   JSON, an SSE stream or 202; Mcp-Session-Id and MCP-Protocol-Version
//   headers; a GET stream for server-initiated messages, resumed with
//   Last-Event-ID; DELETE on close.
//   Legacy HTTP+SSE (2024-11-05): GET opens an SSE stream whose first
//   `endpoint` event names the URL to POST to; answers come on the stream.
// With transport "http", a 4xx to the first POST (initialize) falls back to
// the legacy pair on the same URL, as the spec's compatibility section says.
#pragma once

#include "transport.hpp"

#include <cowork/sdk/host.hpp>
#include <cowork/sdk/llm/sse.hpp>

#include <atomic>
#include <condition_variable>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace cowork::mcp {

namespace oauth {
class Authorizer;
}

struct HttpOptions {
    std::string url;
    std::map<std::string, std::string> headers;  // configured headers plus auth, values never logged
    bool legacy_only = false;                    // transport "sse"
    std::chrono::milliseconds connect_timeout{30000};
    std::chrono::milliseconds request_timeout{60000};
    size_t max_message_bytes = 16 * 1024 * 1024;
    std::function<void(int level, const std::string&)> log;
    // OAuth (auth.type = "oauth"): its bearer goes on every request, and a
    // 401/403 runs its flow once (step-up at most twice) before the request is retried.
    std::shared_ptr<oauth::Authorizer> authorizer;
};

class HttpTransport final : public Transport {
public:
    HttpTransport(sdk::Host host, HttpOptions options);
    ~HttpTransport() override;

    void open(TransportHandlers handlers) override;
    void send(const Json& message) override;
    void initialized(const std::string& protocol_version) override;
    void close() override;
    std::string kind() const override;

    std::string session_id() const;

private:
    struct Worker {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };

    Json base_headers(bool for_post) const;
    std::string next_request_id();
    // One POST of the Streamable HTTP transport; returns the HTTP status.
    // `auth_round` counts the authorizations this message has caused already.
    int post_streamable(const Json& message, int auth_round = 0);
    void post_legacy(const Json& message);
    // GET with Last-Event-ID until the answer to `message` arrives (SEP-1699 resumption).
    void resume_stream(const Json& message, std::string last_id, long retry_ms);
    static bool answers(const sdk::llm::SseEvent& event, const Json& request);
    void fail_request(const Json& message, const std::string& why);
    void spawn(std::function<void()> fn);
    void reap_workers(bool all);

    // Reads one SSE stream (a POST answer or a GET stream) into on_message;
    // returns the last event id seen.
    void consume_sse_event(const std::string& event, const std::string& data, const std::string& id);
    void open_legacy_stream();
    void run_get_stream();
    void log(int level, const std::string& text) const;

    sdk::Host host_;
    HttpOptions options_;
    TransportHandlers handlers_;
    std::atomic<bool> legacy_{false};
    std::atomic<bool> closed_{false};

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::string session_id_;
    std::string protocol_version_;
    std::string legacy_endpoint_;
    std::string last_event_id_;
    bool legacy_stream_failed_ = false;
    std::string legacy_failure_;
    std::map<std::string, bool> open_requests_;  // cowork.http/1 request ids, for cancel on close
    std::list<Worker> workers_;
    std::atomic<uint64_t> counter_{0};
};

// Resolves an `endpoint` event's URI against the SSE URL.
std::string resolve_endpoint(const std::string& base, const std::string& endpoint);

}  // namespace cowork::mcp
