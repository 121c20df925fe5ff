#include "operator_token.hpp"

#include "crypto.hpp"

#include <cowork/sdk/error.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace cowork::cp {

std::string load_or_create_token(const std::filesystem::path& file) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
        const std::string token = random_b64url(32);
        const bool ok = ::write(fd, token.data(), token.size()) == static_cast<ssize_t>(token.size());
        ::close(fd);
        if (!ok) throw sdk::failed("cannot write " + file.string());
        return token;
    }
    if (errno != EEXIST) throw sdk::failed("cannot create " + file.string() + ": " + std::strerror(errno));
    struct stat st {};
    if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077))
        throw sdk::denied(file.string() + " is readable by other users; chmod 600 it (or delete it to rotate)");
    std::ifstream in(file);
    std::string token;
    std::getline(in, token);
    if (token.size() < 32) throw sdk::failed(file.string() + " is empty or truncated; delete it to regenerate");
    return token;
}

}  // namespace cowork::cp
