#include "fetcher.hpp"

#include "charset.hpp"
#include "content.hpp"
#include "web_url.hpp"

#include <atomic>
#include <chrono>

namespace cowork::web {
namespace {

using Clock = std::chrono::steady_clock;

std::string next_request_id() {
    static std::atomic<uint64_t> counter{0};
    return "tool.web-fetch-" + std::to_string(++counter);
}

bool is_redirect(int status) { return status == 301 || status == 302 || status == 303 || status == 307 || status == 308; }

FetchResult failure(std::string code, std::string message) {
    FetchResult r;
    r.error_code = std::move(code);
    r.message = std::move(message);
    return r;
}

// The kernel's error, worded for the model.
FetchResult from_http_error(const sdk::Error& e, const FetchRequest& request) {
    const std::string& code = e.code();
    if (code == "too_large")
        return failure(code, "the response is larger than maxBytes=" + std::to_string(request.max_bytes) +
                                 " bytes; not downloaded further. Raise maxBytes (at most 10 MiB) if you need it.");
    if (code == "timeout")
        return failure(code, "the server did not answer in time (timeoutMs=" + std::to_string(request.timeout_ms) +
                                 "): " + e.what());
    if (code == "denied") return failure(code, std::string("refused: ") + e.what());
    return failure(code, e.what());
}

}  // namespace

Fetcher::Fetcher(sdk::Host host, DomainPolicy domains, std::vector<std::string> allow_private_hosts)
    : host_(host), domains_(std::move(domains)), allow_private_hosts_(std::move(allow_private_hosts)) {}

FetchResult Fetcher::fetch(const FetchRequest& request, const std::function<bool()>& stop) const {
    const auto deadline = Clock::now() + std::chrono::milliseconds(request.timeout_ms);
    std::string url = request.url;
    std::vector<std::string> hops;
    for (int redirects = 0;; ++redirects) {
        if (auto why = domains_.check_url(url)) return failure("denied", (redirects ? "redirect refused: " : "") + *why);
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return failure("timeout", "timeoutMs=" + std::to_string(request.timeout_ms) + " passed while following redirects");
        FetchResult r = one_hop(url, request, static_cast<int>(left), stop);
        r.redirects = hops;
        if (!r.ok || r.location.empty()) return r;  // a 3xx without Location is the final answer
        if (redirects >= request.max_redirects)
            return failure("redirects", "stopped after " + std::to_string(redirects) + " redirect(s) (maxRedirects=" +
                                            std::to_string(request.max_redirects) + "); the last one pointed to " +
                                            resolve_url(url, r.location));
        url = resolve_url(url, r.location);
        hops.push_back(url);
    }
}

FetchResult Fetcher::one_hop(const std::string& url, const FetchRequest& request, int timeout_ms,
                             const std::function<bool()>& stop) const {
    const std::string id = next_request_id();
    FetchResult r;
    bool refused_binary = false, stopped = false;
    nlohmann::json head_headers = nlohmann::json::object();
    const nlohmann::json call{{"requestId", id},
                              {"method", "GET"},
                              {"url", url},
                              {"headers", {{"Accept", "text/html,application/xhtml+xml,text/markdown,text/plain,application/json;q=0.9,*/*;q=0.5"}}},
                              {"timeoutMs", timeout_ms},
                              {"connectTimeoutMs", std::min(timeout_ms, 10000)},
                              {"idleTimeoutMs", std::min(timeout_ms, 15000)},
                              {"maxBytes", request.max_bytes},
                              {"maxRedirects", 0},
                              {"responseBase64", true},
                              {"ssrfGuard", true},
                              {"allowPrivateHosts", allow_private_hosts_}};
    const auto on_head = [&](int status, const nlohmann::json& headers) {
        r.status = status;
        head_headers = headers;
        r.content_type = headers.value("content-type", "");
        r.declared_length = headers.value("content-length", "");
        if (is_redirect(status)) return;
        // Only a declared type can be judged this early; a missing one is sniffed later.
        if (!r.content_type.empty() && classify_content(r.content_type, "") == ContentKind::binary) {
            refused_binary = true;
            host_.http_cancel(id);
        }
    };
    const auto on_chunk = [&](std::string_view data) {
        if (refused_binary || stopped) return;
        r.body += base64_decode(data);  // each event is encoded on its own
        if (stop && stop()) {
            stopped = true;
            host_.http_cancel(id);
        }
    };
    try {
        const nlohmann::json out = host_.http(call, on_chunk, on_head);
        r.status = out.value("status", r.status);
        if (out.contains("headers") && out["headers"].is_object()) head_headers = out["headers"];
        r.content_type = head_headers.value("content-type", r.content_type);
    } catch (const sdk::Error& e) {
        if (refused_binary) {
            FetchResult b = failure("binary", "");
            b.status = r.status;
            b.content_type = r.content_type;
            b.declared_length = r.declared_length;
            b.final_url = url;
            return b;
        }
        if (stopped) return failure("cancelled", "the fetch was cancelled");
        return from_http_error(e, request);
    }
    r.ok = true;
    r.final_url = url;
    if (is_redirect(r.status)) r.location = head_headers.value("location", "");
    return r;
}

}  // namespace cowork::web
