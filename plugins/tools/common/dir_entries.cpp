#include "cowork_tools/dir_entries.hpp"

#include "cowork_tools/tool_failure.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace cowork::tools {

int open_child_directory(int dirfd, const std::string& name) {
    return ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

std::vector<DirEntry> read_entries(int dirfd, const std::string& display) {
    // fdopendir takes ownership and needs a readable descriptor: open "." anew.
    const int fd = ::openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail_errno("cannot read directory '" + display + "'", errno);
    DIR* dir = ::fdopendir(fd);
    if (!dir) {
        const int err = errno;
        ::close(fd);
        fail_errno("cannot read directory '" + display + "'", err);
    }
    std::vector<DirEntry> entries;
    while (const dirent* d = ::readdir(dir)) {
        const std::string name = d->d_name;
        if (name == "." || name == "..") continue;
        DirEntry e{name, EntryType::other};
        unsigned char t = d->d_type;
        if (t == DT_UNKNOWN) {
            struct stat st {};
            if (::fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
                if (S_ISREG(st.st_mode)) t = DT_REG;
                else if (S_ISDIR(st.st_mode)) t = DT_DIR;
                else if (S_ISLNK(st.st_mode)) t = DT_LNK;
            }
        }
        if (t == DT_REG) e.type = EntryType::file;
        else if (t == DT_DIR) e.type = EntryType::directory;
        else if (t == DT_LNK) e.type = EntryType::symlink;
        entries.push_back(std::move(e));
    }
    ::closedir(dir);
    std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    return entries;
}

const char* type_name(EntryType type) {
    switch (type) {
    case EntryType::file: return "file";
    case EntryType::directory: return "directory";
    case EntryType::symlink: return "symlink";
    default: return "other";
    }
}

}  // namespace cowork::tools
