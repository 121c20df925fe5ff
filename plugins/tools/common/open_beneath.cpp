#include "cowork_tools/open_beneath.hpp"

#include "cowork_tools/path_text.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>

namespace cowork::tools {
namespace {

UniqueFd open_component_walk(int dirfd, std::string_view rel, int flags) {
    const auto parts = split_components(rel);
    if (parts.empty()) {
        errno = EINVAL;
        return {};
    }
    UniqueFd current;
    int at = dirfd;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        if (parts[i] == "." || parts[i] == "..") {
            errno = EXDEV;
            return {};
        }
        UniqueFd next(::openat(at, parts[i].c_str(), O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
        if (!next) return {};
        current = std::move(next);
        at = current.get();
    }
    if (parts.back() == "..") {
        errno = EXDEV;
        return {};
    }
    return UniqueFd(::openat(at, parts.back().c_str(), flags | O_NOFOLLOW | O_CLOEXEC));
}

}  // namespace

UniqueFd open_beneath(int dirfd, std::string_view rel, int flags) {
    static std::atomic<bool> have_openat2{true};
    if (have_openat2.load(std::memory_order_relaxed)) {
        struct open_how how {};
        how.flags = static_cast<uint64_t>(flags | O_NOFOLLOW | O_CLOEXEC);
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
        const std::string path(rel);
        const long fd = ::syscall(SYS_openat2, dirfd, path.c_str(), &how, sizeof how);
        if (fd >= 0) return UniqueFd(static_cast<int>(fd));
        if (errno != ENOSYS && errno != EPERM) return {};  // EPERM: seccomp filters may deny new syscalls
        have_openat2.store(false);
    }
    return open_component_walk(dirfd, rel, flags);
}

}  // namespace cowork::tools
