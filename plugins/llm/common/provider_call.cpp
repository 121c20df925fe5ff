#include "provider_call.hpp"

#include <exception>

namespace cowork::llm_common {
namespace {

std::optional<sdk::llm::milliseconds> server_wait(const Json& headers) {
    if (!headers.is_object()) return std::nullopt;
    if (auto ms = sdk::llm::parse_retry_after_ms(headers.value("retry-after-ms", ""))) return ms;
    return sdk::llm::parse_retry_after(headers.value("retry-after", ""));
}

// Which sdk::Error codes from the kernel's http service are worth a retry.
bool transient(const sdk::Error& e) { return e.code() == "connect" || e.code() == "protocol"; }

std::string cap(std::string s, size_t n = 500) {
    if (s.size() > n) s = s.substr(0, n) + "…";
    return s;
}

constexpr size_t kMaxErrorBody = 1u << 16;

Json http_request_for(const ProviderRequest& request) {
    Json r{{"requestId", request.request_id},
           {"method", request.method},
           {"url", request.url},
           {"headers", request.headers},
           {"timeoutMs", request.timeout_ms},
           {"connectTimeoutMs", request.connect_timeout_ms}};
    if (!request.body.is_null()) {
        r["body"] = request.body.dump();
        r["headers"]["content-type"] = "application/json";
    }
    return r;
}

}  // namespace

std::string ProviderCall::error_message(const std::string& body) {
    const Json j = Json::parse(body, nullptr, false);
    if (j.is_object() && j.contains("error")) {
        const Json& e = j["error"];
        if (e.is_object() && e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
        if (e.is_string()) return e.get<std::string>();
    }
    if (j.is_object() && j.contains("message") && j["message"].is_string()) return j["message"].get<std::string>();
    return cap(body);
}

bool ProviderCall::cancel(const sdk::Host& host, sdk::llm::CancelRegistry& cancels, const std::string& request_id) {
    // Token first: a call between attempts (or about to send) sees it at
    // once; the http cancel aborts a request already on the wire.
    const bool running = cancels.cancel(request_id);
    if (running) host.http_cancel(request_id);
    return running;
}

ProviderResponse ProviderCall::run(const ProviderRequest& request, sdk::Events& events, const ChunkSink& on_chunk,
                                   const AttemptFn& on_attempt) {
    auto registration = cancels_.begin(request.request_id);
    sdk::llm::CancelToken& token = registration->token();
    ProviderResponse response;
    for (int attempt = 1;; ++attempt) {
        if (token.cancelled()) throw sdk::Error(COWORK_E_CANCELLED, "cancelled", "cancelled before the request was sent");
        if (on_attempt) on_attempt(attempt);
        response = ProviderResponse{};
        response.attempts = attempt;
        bool emitted = false;
        std::exception_ptr sink_failure;  // thrown by on_chunk; rethrown below, never through C frames
        std::string error_body;
        const Json http_request = http_request_for(request);
        std::optional<sdk::llm::milliseconds> wish;
        std::string reason;
        try {
            int status = 0;
            if (request.stream) {
                // The head event tells content from an error body: only a
                // 2xx body goes to the stream parser; anything else is
                // collected for the error message.
                // A kernel that sends no head event: hold the body until the
                // final status is known (correct, just not incremental).
                std::string unlabelled;
                auto feed = [&](std::string_view chunk) {
                    if (sink_failure || !on_chunk) return;
                    try {
                        emitted = on_chunk(chunk) || emitted;
                    } catch (...) {
                        sink_failure = std::current_exception();
                    }
                };
                Json out = host_.http(
                    http_request,
                    [&](std::string_view chunk) {
                        if (status == 0) unlabelled.append(chunk);
                        else if (status >= 200 && status < 300) feed(chunk);
                        else if (error_body.size() < kMaxErrorBody) error_body.append(chunk);
                    },
                    [&](int s, const Json&) { status = s; });
                response.status = out.value("status", 0);
                response.headers = out.value("headers", Json::object());
                if (!unlabelled.empty()) {
                    if (response.status >= 200 && response.status < 300) feed(unlabelled);
                    else error_body = unlabelled.substr(0, kMaxErrorBody);
                }
                response.body = error_body;
            } else {
                // Not streamed: the service returns the whole body in `out`.
                Json out = host_.http(http_request);
                response.status = out.value("status", 0);
                response.headers = out.value("headers", Json::object());
                response.body = out.value("body", "");
            }
        } catch (const sdk::Error& e) {
            if (e.status() == COWORK_E_CANCELLED || token.cancelled())
                throw sdk::Error(COWORK_E_CANCELLED, "cancelled", "cancelled by request");
            if (sink_failure) std::rethrow_exception(sink_failure);
            if (e.status() == COWORK_E_TIMEOUT || e.code() == "timeout")
                throw sdk::Error(COWORK_E_TIMEOUT, "timeout", e.what());
            if (e.status() == COWORK_E_DENIED) throw sdk::Error(COWORK_E_DENIED, "denied", e.what());
            if (!transient(e) || emitted || attempt > policy_.max_retries)
                throw sdk::Error(COWORK_E_FAILED, "unavailable", std::string(e.what()) + " (after " + std::to_string(attempt) + " attempt(s))");
            reason = e.what();
        }
        if (sink_failure) std::rethrow_exception(sink_failure);
        // A stream that ended normally after cancel() was asked for is
        // still a cancelled call: the caller stopped listening.
        if (token.cancelled()) throw sdk::Error(COWORK_E_CANCELLED, "cancelled", "cancelled by request");
        if (response.status >= 200 && response.status < 300) return response;
        if (response.status != 0) {
            const std::string message = error_message(response.body);
            if (emitted || !sdk::llm::is_retryable_status(response.status) || attempt > policy_.max_retries) {
                const char* code = sdk::llm::error_code_for_status(response.status);
                throw sdk::Error(COWORK_E_FAILED, code,
                                 "provider answered HTTP " + std::to_string(response.status) + ": " + message +
                                     (attempt > 1 ? " (after " + std::to_string(attempt) + " attempts)" : ""));
            }
            wish = server_wait(response.headers);
            reason = "HTTP " + std::to_string(response.status);
            if (wish && *wish > policy_.max_server_wait)
                throw sdk::Error(COWORK_E_FAILED, "rate_limited",
                                 "provider asks to wait " + std::to_string(wish->count() / 1000) + " s: " + message);
        }
        const auto delay = sdk::llm::backoff_delay(policy_, attempt, wish, rng_);
        events.emit({{"type", "retry"}, {"attempt", attempt + 1}, {"delayMs", delay.count()}, {"reason", reason}});
        if (!token.sleep_for(delay)) throw sdk::Error(COWORK_E_CANCELLED, "cancelled", "cancelled while waiting to retry");
    }
}

}  // namespace cowork::llm_common
