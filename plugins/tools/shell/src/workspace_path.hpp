// workspace_path.hpp — where a command may start.
#pragma once

#include <filesystem>
#include <string>

namespace cowork::shell {

// True when `path` is `root` or lies beneath it (both already canonical).
bool is_within(const std::filesystem::path& path, const std::filesystem::path& root);

// The workspace as a canonical absolute directory; throws sdk::invalid when
// it is missing, relative or not a directory.
std::filesystem::path canonical_workspace(const std::string& workspace);

// Resolve `cwd` (relative to the workspace, or absolute) with every symlink
// followed, and refuse (sdk::denied) anything that ends up outside it: the
// check is on the resolved path, so `..` and symlinks cannot escape.
std::filesystem::path resolve_cwd(const std::filesystem::path& workspace, const std::string& cwd);

}  // namespace cowork::shell
