// request_guard.hpp — answers Fetch.requestPaused: every request a page
// makes (sub-resources, XHR/fetch, each redirect hop) is held by Chromium
// until we continue or fail it, so the URL policy applies to all of them,
// not only to the URL the model typed.
//
// Decisions run on the guard's own thread: they may resolve DNS, and the
// CDP I/O thread must never block. Verdicts are cached per scheme+host for
// a few seconds so a page with 100 images costs one lookup.
#pragma once

#include "url_policy.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace cowork::browser {

using Json = nlohmann::json;

class RequestGuard {
public:
    using Sender = std::function<void(const std::string& method, const Json& params, const std::string& session)>;
    // Told about each blocked request: {"url","reason","requestId","type"}.
    using BlockedSink = std::function<void(const std::string& session, const Json& entry)>;

    RequestGuard(UrlPolicy policy, Sender send, BlockedSink on_blocked);
    ~RequestGuard();
    RequestGuard(const RequestGuard&) = delete;
    RequestGuard& operator=(const RequestGuard&) = delete;

    // From the I/O thread: queue a Fetch.requestPaused for a decision.
    void paused(const std::string& session, const Json& params);
    const UrlPolicy& policy() const { return policy_; }

private:
    struct Job {
        std::string session;
        Json params;
    };
    void run();
    void decide(const Job& job);
    std::optional<std::string> verdict(const std::string& url);

    UrlPolicy policy_;
    Sender send_;
    BlockedSink on_blocked_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<Job> queue_;
    bool stopping_ = false;
    struct Cached {
        std::optional<std::string> refusal;
        std::chrono::steady_clock::time_point at;
    };
    std::map<std::string, Cached> cache_;  // guard thread only
    std::thread thread_;
};

}  // namespace cowork::browser
