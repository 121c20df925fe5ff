#include "landlock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace cowork::shell {

namespace {

// The Landlock UAPI, spelled out here: Debian 12's headers stop at ABI 2 and
// the kernel we run on may offer far more. These values are stable ABI.
#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

constexpr uint32_t kCreateRulesetVersion = 1U << 0;
constexpr int kRulePathBeneath = 1;

constexpr uint64_t kExecute = 1ULL << 0;
constexpr uint64_t kWriteFile = 1ULL << 1;
constexpr uint64_t kReadFile = 1ULL << 2;
constexpr uint64_t kReadDir = 1ULL << 3;
constexpr uint64_t kRemoveDir = 1ULL << 4;
constexpr uint64_t kRemoveFile = 1ULL << 5;
constexpr uint64_t kMakeChar = 1ULL << 6;
constexpr uint64_t kMakeDir = 1ULL << 7;
constexpr uint64_t kMakeReg = 1ULL << 8;
constexpr uint64_t kMakeSock = 1ULL << 9;
constexpr uint64_t kMakeFifo = 1ULL << 10;
constexpr uint64_t kMakeBlock = 1ULL << 11;
constexpr uint64_t kMakeSym = 1ULL << 12;
constexpr uint64_t kRefer = 1ULL << 13;     // ABI 2
constexpr uint64_t kTruncate = 1ULL << 14;  // ABI 3
constexpr uint64_t kIoctlDev = 1ULL << 15;  // ABI 5

constexpr uint64_t kNetBindTcp = 1ULL << 0;     // ABI 4
constexpr uint64_t kNetConnectTcp = 1ULL << 1;  // ABI 4

constexpr uint64_t kScopeAbstractUnix = 1ULL << 0;  // ABI 6
constexpr uint64_t kScopeSignal = 1ULL << 1;        // ABI 6

struct RulesetAttr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;  // ABI 4
    uint64_t scoped;              // ABI 6
};

struct __attribute__((packed)) PathBeneathAttr {
    uint64_t allowed_access;
    int32_t parent_fd;
};

uint64_t handled_fs_for(int abi) {
    uint64_t all = kExecute | kWriteFile | kReadFile | kReadDir | kRemoveDir | kRemoveFile | kMakeChar | kMakeDir |
                   kMakeReg | kMakeSock | kMakeFifo | kMakeBlock | kMakeSym;
    if (abi >= 2) all |= kRefer;
    if (abi >= 3) all |= kTruncate;
    if (abi >= 5) all |= kIoctlDev;
    return all;
}

// Rights that make sense on a non-directory; the kernel rejects the others.
constexpr uint64_t kFileRights = kExecute | kWriteFile | kReadFile | kTruncate | kIoctlDev;

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() { if (fd_ >= 0) ::close(fd_); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

void add_path_rule(int ruleset, const std::string& path, uint64_t access, uint64_t handled) {
    Fd fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
    if (fd.get() < 0) return;  // absent paths grant nothing, which is the safe reading
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return;
    if (!S_ISDIR(st.st_mode)) access &= kFileRights;
    PathBeneathAttr attr{access & handled, fd.get()};
    if (attr.allowed_access == 0) return;
    if (::syscall(SYS_landlock_add_rule, ruleset, kRulePathBeneath, &attr, 0) != 0)
        throw std::runtime_error("landlock_add_rule(" + path + "): " + std::strerror(errno));
}

}  // namespace

int landlock_abi_version() {
    const long v = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
    return v < 0 ? 0 : static_cast<int>(v);
}

LandlockRuleset::~LandlockRuleset() {
    if (fd_ >= 0) ::close(fd_);
}

LandlockRuleset& LandlockRuleset::operator=(LandlockRuleset&& o) noexcept {
    if (this != &o) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = o.fd_;
        abi_ = o.abi_;
        o.fd_ = -1;
    }
    return *this;
}

LandlockRuleset LandlockRuleset::build(const LandlockPolicy& policy) {
    const int abi = landlock_abi_version();
    if (abi < 1) throw std::runtime_error("Landlock is not available on this kernel");

    RulesetAttr attr{handled_fs_for(abi), 0, 0};
    std::size_t attr_size = sizeof(uint64_t);
    if (abi >= 4) {
        attr_size = 2 * sizeof(uint64_t);
        if (policy.deny_tcp) attr.handled_access_net = kNetBindTcp | kNetConnectTcp;
    }
    if (abi >= 6) {
        attr_size = sizeof(RulesetAttr);
        // Signals only within the sandbox; abstract unix sockets (D-Bus, X11)
        // only to peers inside it.
        attr.scoped = kScopeSignal | kScopeAbstractUnix;
    }
    LandlockRuleset rs;
    rs.abi_ = abi;
    rs.fd_ = static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, attr_size, 0));
    if (rs.fd_ < 0) throw std::runtime_error(std::string("landlock_create_ruleset: ") + std::strerror(errno));
    ::fcntl(rs.fd_, F_SETFD, FD_CLOEXEC);

    const uint64_t handled = attr.handled_access_fs;
    const uint64_t read_exec = kExecute | kReadFile | kReadDir;
    for (const auto& p : policy.read_exec) add_path_rule(rs.fd_, p, read_exec, handled);
    for (const auto& p : policy.read_write) add_path_rule(rs.fd_, p, handled, handled);
    for (const auto& p : policy.device_rw) add_path_rule(rs.fd_, p, kReadFile | kWriteFile | kIoctlDev, handled);
    // No TCP port rule is ever added: handling net access with no rules
    // denies every TCP bind and connect.
    return rs;
}

int landlock_restrict_self_raw(int ruleset_fd) noexcept {
    return ::syscall(SYS_landlock_restrict_self, ruleset_fd, 0) == 0 ? 0 : errno;
}

}  // namespace cowork::shell
