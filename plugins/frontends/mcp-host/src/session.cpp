#include "session.hpp"

#include <algorithm>

namespace cowork::mcp {

bool supported_version(const std::string& v) {
    return std::find(kProtocolVersions.begin(), kProtocolVersions.end(), v) != kProtocolVersions.end();
}

int log_level_rank(const std::string& level) {
    static const std::vector<std::string> kLevels{"debug", "info", "notice", "warning",
                                                  "error", "critical", "alert", "emergency"};
    const auto it = std::find(kLevels.begin(), kLevels.end(), level);
    return it == kLevels.end() ? -1 : static_cast<int>(it - kLevels.begin());
}

void Session::initialize(std::string version, Json client_capabilities) {
    std::lock_guard lock(mutex_);
    version_ = std::move(version);
    client_capabilities_ = std::move(client_capabilities);
    initialized_ = true;
}

bool Session::client_supports(const std::string& capability) const {
    std::lock_guard lock(mutex_);
    return client_capabilities_.is_object() && client_capabilities_.contains(capability) &&
           client_capabilities_[capability].is_object();
}

std::string Session::protocol_version() const {
    std::lock_guard lock(mutex_);
    return version_;
}

void Session::subscribe(const std::string& uri) {
    std::lock_guard lock(mutex_);
    subscriptions_.insert(uri);
}

void Session::unsubscribe(const std::string& uri) {
    std::lock_guard lock(mutex_);
    subscriptions_.erase(uri);
}

bool Session::subscribed(const std::string& uri) const {
    std::lock_guard lock(mutex_);
    return subscriptions_.count(uri) > 0;
}

uint64_t Session::attach(Stream stream) {
    std::lock_guard lock(mutex_);
    stream_ = std::move(stream);
    return ++stream_token_;
}

void Session::detach(uint64_t token) {
    std::lock_guard lock(mutex_);
    if (token == stream_token_) stream_ = nullptr;
}

bool Session::has_stream() const {
    std::lock_guard lock(mutex_);
    return static_cast<bool>(stream_);
}

bool Session::push(const Json& message) {
    Stream s;
    {
        std::lock_guard lock(mutex_);
        s = stream_;
    }
    return s && s(message);
}

void Session::end() {
    Stream s;
    {
        std::lock_guard lock(mutex_);
        s = std::move(stream_);
        stream_ = nullptr;
    }
    if (s) s(nullptr);
}

std::shared_ptr<std::atomic<bool>> Session::begin_request(const Json& id) {
    std::lock_guard lock(mutex_);
    auto& flag = inflight_[id.dump()];
    if (!flag) flag = std::make_shared<std::atomic<bool>>(false);  // else: cancelled before it started
    return flag;
}

void Session::end_request(const Json& id) {
    std::lock_guard lock(mutex_);
    inflight_.erase(id.dump());
    cancel_hooks_.erase(id.dump());
}

void Session::on_cancel(const Json& id, std::function<void()> hook) {
    std::lock_guard lock(mutex_);
    cancel_hooks_[id.dump()] = std::move(hook);
}

void Session::cancel(const Json& id) {
    std::function<void()> hook;
    {
        std::lock_guard lock(mutex_);
        if (auto h = cancel_hooks_.find(id.dump()); h != cancel_hooks_.end()) {
            hook = std::move(h->second);
            cancel_hooks_.erase(h);
        }
    }
    if (hook) hook();  // outside the lock: it calls into the kernel
    std::lock_guard lock(mutex_);
    if (auto it = inflight_.find(id.dump()); it != inflight_.end()) {
        *it->second = true;
        return;
    }
    // A transport may still be handing the request to a worker: remember the
    // cancellation (bounded, so stray ids cannot grow the map without limit).
    if (inflight_.size() < kMaxInflight) inflight_[id.dump()] = std::make_shared<std::atomic<bool>>(true);
}

Json Session::send_request(const std::string& method, Json params, ResponseFn on_response) {
    std::lock_guard lock(mutex_);
    if (pending_.size() >= kMaxPendingRequests) return nullptr;
    // A string id in its own namespace never collides with the client's ids.
    const Json id = "cowork-" + std::to_string(++next_request_);
    pending_[id.dump()] = std::move(on_response);
    return request(id, method, params);
}

bool Session::deliver(const Json& id, const Json& result, const Json& error) {
    ResponseFn fn;
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(id.dump());
        if (it == pending_.end()) return false;
        fn = std::move(it->second);
        pending_.erase(it);
    }
    fn(result, error);
    return true;
}

void Session::forget_request(const Json& id) {
    std::lock_guard lock(mutex_);
    pending_.erase(id.dump());
}

std::chrono::steady_clock::duration Session::idle() const {
    return std::chrono::steady_clock::now().time_since_epoch() - std::chrono::steady_clock::duration(last_used_.load());
}

}  // namespace cowork::mcp
