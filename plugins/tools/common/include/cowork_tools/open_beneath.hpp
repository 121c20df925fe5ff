// open_beneath.hpp — open a relative path strictly below a directory
// descriptor, following no symlink at all. Used by tools that first list
// files and open them later (grep), when the directory descriptors of the
// walk are long closed: the path could have been tampered with meanwhile.
#pragma once

#include "cowork_tools/unique_fd.hpp"

#include <string_view>

namespace cowork::tools {

// openat2(dirfd, rel, O_RDONLY|O_NOFOLLOW, RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|
// RESOLVE_NO_MAGICLINKS|RESOLVE_NO_XDEV); on kernels without openat2 the same
// rule is applied one component at a time with O_NOFOLLOW. Returns an empty
// UniqueFd (errno set) on failure; the caller decides how to report it.
UniqueFd open_beneath(int dirfd, std::string_view rel, int flags);

}  // namespace cowork::tools
