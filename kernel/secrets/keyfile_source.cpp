#include "secrets/key_source.hpp"

#include "core/private_file.hpp"

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

// A process that loses the race to create the key file uses the winner's
// key: publish_private_file never lets anyone see a half-written file.
Status create_key_file(const std::filesystem::path& path) {
    uint8_t key[MasterKey::size];
    randombytes_buf(key, sizeof key);
    auto published = publish_private_file(path, {reinterpret_cast<const char*>(key), sizeof key});
    sodium_memzero(key, sizeof key);
    if (!published) return make_error("secrets.keyfile", published.error().message, {{"path", path.string()}});
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
