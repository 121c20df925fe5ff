#include "agent/runtime_lease.hpp"

#include "storage/ids.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace cowork::kernel::agent {

Result<RuntimeLease> RuntimeLease::acquire(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::string id = storage::new_id("rt_");
    const auto path = dir / (id + ".lock");
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return make_error("agent.lease", "cannot create " + path.string() + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return make_error("agent.lease", "cannot lock " + path.string() + ": " + std::strerror(errno));
    }
    return RuntimeLease(path, id, fd);
}

RuntimeLease::RuntimeLease(RuntimeLease&& o) noexcept : path_(std::move(o.path_)), id_(std::move(o.id_)), fd_(o.fd_) {
    o.fd_ = -1;
}

RuntimeLease::~RuntimeLease() {
    if (fd_ < 0) return;
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    ::close(fd_);
}

bool RuntimeLease::is_alive(const std::filesystem::path& dir, const std::string& runtime_id) {
    if (runtime_id.empty() || runtime_id.find('/') != std::string::npos) return false;
    const auto path = dir / (runtime_id + ".lock");
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;  // no lock file: its owner ended
    const bool taken = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    if (taken) {
        std::error_code ec;
        std::filesystem::remove(path, ec);  // a dead owner's leftover
    }
    ::close(fd);
    return !taken;
}

}  // namespace cowork::kernel::agent
