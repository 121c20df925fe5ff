#include "secrets/key_source.hpp"

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cowork::kernel::secrets {
namespace {

Error io_error(const std::filesystem::path& path, const char* what) {
    return make_error("secrets.keyfile", std::string(what) + " key file " + path.string() + ": " + std::strerror(errno),
                      {{"path", path.string()}});
}

Status create_key_file(const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return make_error("secrets.keyfile", "cannot create " + path.parent_path().string() + ": " + ec.message());
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) return io_error(path, "cannot create");
    uint8_t key[MasterKey::size];
    randombytes_buf(key, sizeof key);
    const bool written = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
    sodium_memzero(key, sizeof key);
    ::close(fd);
    if (!written) {
        ::unlink(path.c_str());
        return io_error(path, "cannot write");
    }
    return ok_status();
}

Status check_owner_and_mode(const std::filesystem::path& path, const struct stat& st) {
    if (!S_ISREG(st.st_mode)) return make_error("secrets.keyfile", "key file " + path.string() + " is not a regular file");
    if (st.st_uid != ::geteuid())
        return make_error("secrets.keyfile_owner",
                          "key file " + path.string() + " belongs to another user; it must be owned by the user running CoWork",
                          {{"path", path.string()}});
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return make_error("secrets.keyfile_permissions",
                          "key file " + path.string() + " is accessible by group or others (mode " + mode +
                              "); refusing to use it. Run: chmod 600 " + path.string(),
                          {{"path", path.string()}, {"mode", mode}});
    }
    return ok_status();
}

}  // namespace

Result<MasterKey> load_key_file(const std::filesystem::path& path) {
    if (auto s = ensure_sodium(); !s) return s.error();
    if (!std::filesystem::exists(std::filesystem::symlink_status(path)))
        if (auto created = create_key_file(path); !created) return created.error();

    const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return io_error(path, "cannot open");
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        ::close(fd);
        return io_error(path, "cannot stat");
    }
    if (auto s = check_owner_and_mode(path, st); !s) {
        ::close(fd);
        return s.error();
    }
    uint8_t key[MasterKey::size + 1];
    const ssize_t n = ::read(fd, key, sizeof key);
    ::close(fd);
    if (n != static_cast<ssize_t>(MasterKey::size)) {
        sodium_memzero(key, sizeof key);
        return make_error("secrets.keyfile_size",
                          "key file " + path.string() + " must hold exactly 32 bytes; it is damaged or not a CoWork key file",
                          {{"path", path.string()}});
    }
    auto master = MasterKey::from_bytes({key, MasterKey::size});
    sodium_memzero(key, sizeof key);
    return master;
}

}  // namespace cowork::kernel::secrets
