// dir_entries.hpp — the names in a confined directory, without following
// anything: types come from d_type, falling back to fstatat(NOFOLLOW).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace cowork::tools {

enum class EntryType { file, directory, symlink, other };

struct DirEntry {
    std::string name;
    EntryType type = EntryType::other;
};

// Entries of the directory open as `dirfd` (any descriptor for a directory,
// O_PATH included), "." and ".." excluded, sorted by name. Throws ToolFailure.
std::vector<DirEntry> read_entries(int dirfd, const std::string& display);

// Opens child directory `name` of `dirfd` without following a symlink
// (O_RDONLY|O_DIRECTORY|O_NOFOLLOW); -1 when that is not a real directory.
int open_child_directory(int dirfd, const std::string& name);

const char* type_name(EntryType type);

}  // namespace cowork::tools
