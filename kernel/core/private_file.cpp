#include "core/private_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cowork::kernel {
namespace {

Error io_error(const std::string& what, const std::filesystem::path& path, int err) {
    return make_error("file.write", what + " " + path.string() + ": " + std::strerror(err) +
                                        " (check the directory's owner and free space)",
                      {{"path", path.string()}});
}

Status ensure_parent(const std::filesystem::path& path) {
    if (!path.has_parent_path() || std::filesystem::exists(path.parent_path())) return ok_status();
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return make_error("file.write", "cannot create " + path.parent_path().string() + ": " + ec.message());
    std::filesystem::permissions(path.parent_path(), std::filesystem::perms::owner_all, ec);
    return ok_status();
}

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

}  // namespace

Result<Published> publish_private_file(const std::filesystem::path& path, std::string_view bytes) {
    if (auto s = ensure_parent(path); !s) return s.error();
    std::string temp = path.string() + ".new-XXXXXX";
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);  // created 0600
    if (fd < 0) return io_error("cannot create a temporary file next to", path, errno);
    const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
    const int write_errno = errno;
    ::close(fd);
    if (!written) {
        ::unlink(temp.c_str());
        return io_error("cannot write", path, write_errno);
    }
    const int linked = ::link(temp.c_str(), path.c_str());
    const int link_errno = errno;
    ::unlink(temp.c_str());
    if (linked == 0) return Published::created;
    if (link_errno == EEXIST) return Published::already_existed;
    return io_error("cannot create", path, link_errno);
}

}  // namespace cowork::kernel
