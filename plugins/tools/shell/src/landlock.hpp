// landlock.hpp — unprivileged filesystem (and TCP) confinement, via raw syscalls.
//
// The ruleset is built in the parent (it opens paths, allocates); the child
// only calls landlock_restrict_self on the finished fd between fork and exec,
// which is a single async-signal-safe syscall.
#pragma once

#include <string>
#include <vector>

namespace cowork::shell {

// The Landlock ABI the running kernel offers: 0 when unavailable (old kernel,
// disabled LSM, or the syscall is filtered).
int landlock_abi_version();

struct LandlockPolicy {
    std::vector<std::string> read_exec;   // read files, list dirs, execute
    std::vector<std::string> read_write;  // everything, including create/remove
    std::vector<std::string> device_rw;   // character devices opened read/write (/dev/null…)
    bool deny_tcp = true;                 // ABI >= 4: no TCP bind/connect
};

// An owned ruleset fd (close-on-exec). Missing paths are skipped, not errors:
// /lib32 or /opt may legitimately not exist.
class LandlockRuleset {
public:
    LandlockRuleset() = default;
    LandlockRuleset(const LandlockRuleset&) = delete;
    LandlockRuleset& operator=(const LandlockRuleset&) = delete;
    LandlockRuleset(LandlockRuleset&& o) noexcept : fd_(o.fd_), abi_(o.abi_) { o.fd_ = -1; }
    LandlockRuleset& operator=(LandlockRuleset&& o) noexcept;
    ~LandlockRuleset();

    // Throws std::runtime_error when Landlock is unavailable or a rule fails.
    static LandlockRuleset build(const LandlockPolicy& policy);

    int fd() const noexcept { return fd_; }
    int abi() const noexcept { return abi_; }

private:
    int fd_ = -1;
    int abi_ = 0;
};

// For the child, after fork: restrict the calling thread. Requires
// no_new_privs already set. Returns 0 or an errno. Async-signal-safe.
int landlock_restrict_self_raw(int ruleset_fd) noexcept;

}  // namespace cowork::shell
