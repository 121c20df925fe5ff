// Atomic replacement of a file inside a confined directory descriptor.
#include "cowork_tools/atomic_write.hpp"

#include "cowork_tools/tool_failure.hpp"
#include "cowork_tools/unique_fd.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <random>

namespace cowork::tools {
namespace {

// A name no one else will pick: pid, a process-wide counter and a random
// tag; O_EXCL makes a collision fail instead of reusing someone's file.
std::string temp_name_for(const std::string& name) {
    static std::atomic<unsigned> counter{0};
    thread_local std::mt19937 rng{std::random_device{}()};
    std::string base = name.size() > 100 ? name.substr(0, 100) : name;
    return "." + base + ".cowork-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
           std::to_string(rng() % 1000000) + ".tmp";
}

// Removes the temporary file unless the rename went through.
struct TempFileGuard {
    int dirfd;
    std::string name;
    bool armed = true;
    ~TempFileGuard() {
        if (armed) ::unlinkat(dirfd, name.c_str(), 0);
    }
};

}  // namespace

void write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail_errno("write failed", errno);
        }
        data.remove_prefix(static_cast<size_t>(n));
    }
}

std::string read_all(int fd, size_t limit) {
    std::string out;
    char buf[65536];
    while (limit == 0 || out.size() < limit) {
        size_t want = sizeof buf;
        if (limit) want = std::min(want, limit - out.size());
        const ssize_t n = ::read(fd, buf, want);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail_errno("read failed", errno);
        }
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

AtomicWriteResult atomic_write(int dirfd, const std::string& name, const std::string& display,
                               const ContentWriter& writer, mode_t new_mode) {
    AtomicWriteResult result;
    struct stat existing {};
    if (::fstatat(dirfd, name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISLNK(existing.st_mode))
            throw ToolFailure("'" + display + "' is a symlink; refusing to replace it (write to the real path)");
        if (!S_ISREG(existing.st_mode)) throw ToolFailure("'" + display + "' exists and is not a regular file");
        if (existing.st_nlink > 1)
            throw ToolFailure("'" + display + "' has " + std::to_string(existing.st_nlink) +
                              " hard links; it may alias a file outside the workspace, refusing to replace it");
    } else if (errno == ENOENT) {
        result.created = true;
    } else {
        fail_errno("cannot stat '" + display + "'", errno);
    }

    std::string temp;
    UniqueFd fd;
    for (int attempt = 0; attempt < 8 && !fd; ++attempt) {
        temp = temp_name_for(name);
        fd.reset(::openat(dirfd, temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          result.created ? new_mode : 0600));
        if (!fd && errno != EEXIST) fail_errno("cannot create a temporary file next to '" + display + "'", errno);
    }
    if (!fd) throw ToolFailure("cannot create a temporary file next to '" + display + "'");
    TempFileGuard guard{dirfd, temp};

    result.bytes = writer(fd.get());
    if (!result.created && ::fchmod(fd.get(), existing.st_mode & 07777) != 0)
        fail_errno("cannot preserve the mode of '" + display + "'", errno);
    if (::fsync(fd.get()) != 0) fail_errno("fsync of '" + display + "' failed", errno);
    struct stat written {};
    ::fstat(fd.get(), &written);
    result.mode = written.st_mode & 07777;
    fd.reset();

    if (::renameat(dirfd, temp.c_str(), dirfd, name.c_str()) != 0)
        fail_errno("cannot move the new content into '" + display + "'", errno);
    guard.armed = false;
    // Make the rename itself durable. An O_PATH descriptor cannot fsync.
    UniqueFd dir(::openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir) ::fsync(dir.get());
    return result;
}

AtomicWriteResult atomic_write(int dirfd, const std::string& name, const std::string& display,
                               std::string_view content, mode_t new_mode) {
    return atomic_write(
        dirfd, name, display,
        [content](int fd) {
            write_all(fd, content);
            return content.size();
        },
        new_mode);
}

}  // namespace cowork::tools
