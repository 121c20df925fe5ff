// confinement.hpp — every path a tool touches stays inside the workspace or
// an allowed root. The heart of tool safety; see docs/tools.md.
//
// Resolution never hands a full path to the kernel. It walks the path one
// component at a time with openat(dirfd, name, O_PATH|O_NOFOLLOW|O_DIRECTORY)
// starting from the root's own descriptor, so a symlink or a directory
// swapped for a symlink anywhere in the path cannot redirect the walk. The
// caller then operates with *at() calls on the returned parent descriptor,
// and opened files are re-checked through /proc/self/fd.
#pragma once

#include "cowork_tools/unique_fd.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cowork::tools {

// How a path argument may be resolved.
struct ResolveOptions {
    // Follow symlinks met along the way, re-confining each target (reads).
    // When false any symlink before the final component is refused (writes).
    bool follow_symlinks = true;
    // Also follow a symlink in the final component (read_file: yes;
    // file_info, delete, rename: no — they act on the link itself).
    bool follow_final = true;
    // Create missing intermediate directories (write_file createParents).
    bool create_parents = false;
};

inline constexpr ResolveOptions kForRead{true, true, false};
inline constexpr ResolveOptions kForInspect{true, false, false};
inline constexpr ResolveOptions kForWrite{false, false, false};

// A resolved path: the directory that contains it (an O_PATH descriptor
// proven to be inside a root) and the final name within it.
struct Resolved {
    UniqueFd parent;
    std::string name;       // final component; "." when the path is a root itself
    std::string display;    // for messages: root-relative, or absolute for extra roots
    std::string absolute;   // canonical absolute path (informational only, never opened)
    size_t root_index = 0;  // 0 = workspace
    bool is_root() const noexcept { return name == "."; }
};

class Confinement {
public:
    // Roots are canonicalized (realpath) and opened once. Throws
    // sdk::invalid when the workspace is missing or not an absolute directory.
    Confinement(const std::string& workspace, const std::vector<std::string>& allowed_roots);

    // From a call_tool "context": {"workspace": "...", "allowedRoots": [...]}.
    static Confinement from_context(const nlohmann::json& context);

    // Resolve a tool's path argument. Throws ToolFailure saying which path
    // and why when it escapes, crosses a refused symlink, or is missing.
    Resolved resolve(std::string_view path, const ResolveOptions& options) const;

    // Opens the final component of `r` with O_NOFOLLOW. The result must be a
    // regular file (no devices, FIFOs, sockets), and is re-checked to lie
    // inside its root. `flags` is O_RDONLY, O_WRONLY, ...
    UniqueFd open_regular(const Resolved& r, int flags) const;
    // Same for a directory, opened O_RDONLY|O_DIRECTORY (usable with fdopendir).
    UniqueFd open_directory(const Resolved& r) const;

    // Throws unless /proc/self/fd/<fd> names a path inside root `root_index`.
    // This catches a file or directory moved out of the root between the
    // walk and the use.
    void verify_inside(int fd, size_t root_index, const std::string& display) const;

    const std::string& workspace() const noexcept { return roots_.front().path; }
    int workspace_fd() const noexcept { return roots_.front().fd.get(); }
    size_t root_count() const noexcept { return roots_.size(); }
    const std::string& root_path(size_t i) const { return roots_.at(i).path; }

private:
    struct Root {
        std::string path;   // canonical
        std::string given;  // as configured, normalized (may differ through symlinks)
        UniqueFd fd;
    };
    struct Walk;

    // Which root an absolute, normalized path lies in, and the rest below it.
    bool locate(std::string_view absolute, size_t& root, std::string& rest) const;
    std::string display_for(size_t root, const std::vector<std::string>& names,
                            const std::string& leaf) const;

    std::vector<Root> roots_;
};

}  // namespace cowork::tools
