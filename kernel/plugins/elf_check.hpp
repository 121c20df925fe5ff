// kernel/plugins/elf_check.hpp — refuse a file glibc's dlopen could crash on.
//
// dlopen maps PT_LOAD segments without comparing them with the file size, so
// a truncated plugin kills the process with SIGBUS inside dlopen (see
// shared/reference/toolchain.md §3). This reads only headers, never maps the
// file, and runs before the hash check so even an unhashed path is safe.
// It is a sanity check, not a proof: the hash or signature is what vouches
// for the bytes.
#pragma once

#include "core/result.hpp"

#include <filesystem>

namespace cowork::kernel::plugins {

// Ok when the file is a 64-bit little-endian ET_DYN object for this machine
// whose header tables and PT_LOAD/PT_DYNAMIC file ranges lie inside the file.
// Error{"elf.invalid"} naming what is wrong otherwise.
Status check_elf(const std::filesystem::path& file);

}  // namespace cowork::kernel::plugins
