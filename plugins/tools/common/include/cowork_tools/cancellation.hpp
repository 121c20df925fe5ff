// cancellation.hpp — lets cancel({"callId"}) stop a running call.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cowork::tools {

class CancelToken {
public:
    bool cancelled() const noexcept { return flag_->load(std::memory_order_relaxed); }
    explicit CancelToken(std::shared_ptr<std::atomic<bool>> flag) : flag_(std::move(flag)) {}

private:
    std::shared_ptr<std::atomic<bool>> flag_;
};

class CancelRegistry {
public:
    // Registers a running call; the registration ends with the returned guard.
    class Guard {
    public:
        Guard(CancelRegistry& owner, std::string id, std::shared_ptr<std::atomic<bool>> flag);
        ~Guard();
        Guard(const Guard&) = delete;
        Guard& operator=(const Guard&) = delete;
        CancelToken token() const { return CancelToken(flag_); }

    private:
        CancelRegistry& owner_;
        std::string id_;
        std::shared_ptr<std::atomic<bool>> flag_;
    };

    Guard begin(const std::string& call_id);
    // Returns false when no such call is running.
    bool cancel(const std::string& call_id);

private:
    std::mutex mutex_;
    std::multimap<std::string, std::shared_ptr<std::atomic<bool>>> running_;
};

}  // namespace cowork::tools
