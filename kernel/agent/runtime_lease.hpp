// kernel/agent/runtime_lease.hpp — "is the process that owns this task alive?"
//
// Each runtime holds an exclusive flock on <dir>/<runtime id>.lock for its
// lifetime and claims every task it runs (a task.claimed event). The kernel
// dies → the OS drops the lock → the next boot (CLI or daemon) can take it
// and knows the claimed tasks were interrupted. A live owner's lock cannot
// be taken, so a CLI booting next to a running daemon never interrupts the
// daemon's tasks. No pids: pid reuse cannot fool it.
#pragma once

#include "core/result.hpp"

#include <filesystem>
#include <string>

namespace cowork::kernel::agent {

class RuntimeLease {
public:
    static Result<RuntimeLease> acquire(const std::filesystem::path& dir);
    RuntimeLease(RuntimeLease&& other) noexcept;
    RuntimeLease& operator=(RuntimeLease&&) = delete;
    RuntimeLease(const RuntimeLease&) = delete;
    ~RuntimeLease();

    const std::string& id() const { return id_; }

    // True when a live process holds `runtime_id`'s lock (this one included).
    static bool is_alive(const std::filesystem::path& dir, const std::string& runtime_id);

private:
    RuntimeLease(std::filesystem::path path, std::string id, int fd) : path_(std::move(path)), id_(std::move(id)), fd_(fd) {}
    std::filesystem::path path_;
    std::string id_;
    int fd_ = -1;
};

}  // namespace cowork::kernel::agent
