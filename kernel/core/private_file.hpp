// kernel/core/private_file.hpp — create a file once, atomically, mode 0600.
#pragma once

#include "core/result.hpp"

#include <filesystem>
#include <string_view>

namespace cowork::kernel {

enum class Published { created, already_existed };

// Writes `bytes` to `path` only if `path` does not exist yet; the parent
// directory is created (0700) when missing.
//
// Why not open(O_CREAT|O_EXCL) and write: two processes starting on a fresh
// home at the same moment (the daemon and a CLI call) would race — the loser
// either fails with EEXIST or, worse, reads the winner's file while it is
// still empty. Here the content goes to a private temporary file that is
// fsynced and then hard-linked into place: `path` never exists half-written,
// and a loser learns `already_existed` and simply reads the winner's file.
Result<Published> publish_private_file(const std::filesystem::path& path, std::string_view bytes);

}  // namespace cowork::kernel
