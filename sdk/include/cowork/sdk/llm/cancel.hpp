// cowork/sdk/llm/cancel.hpp — cancelling a running call by its requestId.
//
// A provider plugin registers each complete() under its requestId; the
// interface's cancel slot (any thread) flips the flag, wakes a backoff
// sleep at once, and the plugin also aborts its HTTP request.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cowork::sdk::llm {

class CancelToken {
public:
    bool cancelled() const {
        std::lock_guard lock(mutex_);
        return cancelled_;
    }
    void cancel() {
        {
            std::lock_guard lock(mutex_);
            cancelled_ = true;
        }
        cv_.notify_all();
    }
    // Sleeps up to `d`; false if cancelled (at once when cancel() is called).
    template <class Rep, class Period>
    bool sleep_for(std::chrono::duration<Rep, Period> d) {
        std::unique_lock lock(mutex_);
        return !cv_.wait_for(lock, d, [&] { return cancelled_; });
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool cancelled_ = false;
};

class CancelRegistry {
public:
    // RAII: registered for the lifetime of the returned handle.
    class Handle {
    public:
        Handle(CancelRegistry* r, std::string id, std::shared_ptr<CancelToken> t)
            : registry_(r), id_(std::move(id)), token_(std::move(t)) {}
        Handle(const Handle&) = delete;
        Handle& operator=(const Handle&) = delete;
        ~Handle() { registry_->end(id_, token_); }
        CancelToken& token() const { return *token_; }

    private:
        CancelRegistry* registry_;
        std::string id_;
        std::shared_ptr<CancelToken> token_;
    };

    std::unique_ptr<Handle> begin(const std::string& request_id) {
        auto token = std::make_shared<CancelToken>();
        std::lock_guard lock(mutex_);
        tokens_[request_id] = token;
        return std::make_unique<Handle>(this, request_id, token);
    }

    // True if a call with that id was running.
    bool cancel(const std::string& request_id) {
        std::shared_ptr<CancelToken> token;
        {
            std::lock_guard lock(mutex_);
            auto it = tokens_.find(request_id);
            if (it == tokens_.end()) return false;
            token = it->second;
        }
        token->cancel();
        return true;
    }

private:
    void end(const std::string& id, const std::shared_ptr<CancelToken>& token) {
        std::lock_guard lock(mutex_);
        auto it = tokens_.find(id);
        if (it != tokens_.end() && it->second == token) tokens_.erase(it);
    }

    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<CancelToken>> tokens_;
};

}  // namespace cowork::sdk::llm
