// atomic_write.hpp — replace a file so readers see the old or the new
// content, never a partial one.
//
// A temporary file is created beside the target (O_CREAT|O_EXCL|O_NOFOLLOW,
// same directory so rename stays on one file system), filled, given the old
// file's mode, fsync'ed, then renamed over the target and the directory
// fsync'ed. On any failure the temporary is removed and the target untouched.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>

namespace cowork::tools {

struct AtomicWriteResult {
    bool created = false;   // the target did not exist before
    size_t bytes = 0;
    mode_t mode = 0;        // permission bits of the new file
};

// Fills the temporary file; throws on failure. Returns the bytes written.
using ContentWriter = std::function<size_t(int fd)>;

// `dirfd` is the (confined) directory holding `name`. An existing target must
// be a regular file with a single link: a symlink, device or hard-linked file
// is refused (ToolFailure), because replacing it could alias something else.
// `new_mode` applies only to a new file (subject to umask); an existing
// file's mode is preserved.
AtomicWriteResult atomic_write(int dirfd, const std::string& name, const std::string& display,
                               const ContentWriter& writer, mode_t new_mode = 0666);

AtomicWriteResult atomic_write(int dirfd, const std::string& name, const std::string& display,
                               std::string_view content, mode_t new_mode = 0666);

// Writes everything, retrying on EINTR and short writes.
void write_all(int fd, std::string_view data);

// Reads up to `limit` bytes from the current position (all when limit = 0).
std::string read_all(int fd, size_t limit = 0);

}  // namespace cowork::tools
