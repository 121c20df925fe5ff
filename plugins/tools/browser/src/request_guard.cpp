#include "request_guard.hpp"

namespace cowork::browser {
namespace {
constexpr auto kCacheFor = std::chrono::seconds(10);
}

RequestGuard::RequestGuard(UrlPolicy policy, Sender send, BlockedSink on_blocked)
    : policy_(std::move(policy)), send_(std::move(send)), on_blocked_(std::move(on_blocked)),
      thread_(&RequestGuard::run, this) {}

RequestGuard::~RequestGuard() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void RequestGuard::paused(const std::string& session, const Json& params) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back({session, params});
    }
    cv_.notify_one();
}

void RequestGuard::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            decide(job);
        } catch (...) {
            // Never let one odd request stop the guard: Chromium would
            // otherwise hold every later request forever.
        }
    }
}

std::optional<std::string> RequestGuard::verdict(const std::string& url) {
    const auto parsed = parse_url(url);
    if (!parsed || parsed->host.empty()) return policy_.check_request(url);
    const std::string key = parsed->scheme + "://" + parsed->host;
    const auto now = std::chrono::steady_clock::now();
    if (auto it = cache_.find(key); it != cache_.end() && now - it->second.at < kCacheFor) return it->second.refusal;
    auto refusal = policy_.check_request(url);
    cache_[key] = {refusal, now};
    return refusal;
}

void RequestGuard::decide(const Job& job) {
    const std::string request_id = job.params.value("requestId", "");
    const Json& request = job.params.value("request", Json::object());
    const std::string url = request.value("url", "");
    const auto refusal = verdict(url);
    if (!refusal) {
        send_("Fetch.continueRequest", {{"requestId", request_id}}, job.session);
        return;
    }
    // BlockedByClient: the page sees net::ERR_BLOCKED_BY_CLIENT, and so
    // does Page.navigate when the main document itself was refused.
    send_("Fetch.failRequest", {{"requestId", request_id}, {"errorReason", "BlockedByClient"}}, job.session);
    on_blocked_(job.session, {{"url", url.size() > 2000 ? url.substr(0, 2000) + "…" : url},
                              {"reason", *refusal},
                              {"requestId", job.params.value("networkId", request_id)},
                              {"type", job.params.value("resourceType", "Other")}});
}

}  // namespace cowork::browser
