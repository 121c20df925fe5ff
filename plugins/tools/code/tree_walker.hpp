// tree_walker.hpp — visits the regular files below a confined directory in
// name order, honouring .gitignore files (those of the ancestors up to the
// root included) and never following a symlink or entering .git/.cowork.
#pragma once

#include "cowork_tools/cancellation.hpp"
#include "cowork_tools/confinement.hpp"
#include "gitignore.hpp"

#include <functional>
#include <string>

namespace cowork::tools::code {

struct WalkOptions {
    bool respect_gitignore = true;
    bool include_hidden = true;
};

// on_file(dirfd, name, rel): `rel` is relative to the walk's base; return
// false to stop the walk.
using FileVisitor = std::function<bool(int dirfd, const std::string& name, const std::string& rel)>;

class TreeWalker {
public:
    // `base` must name a directory; throws ToolFailure otherwise.
    TreeWalker(const Confinement& fs, const Resolved& base, WalkOptions options, CancelToken cancel);

    void run(const FileVisitor& on_file);
    // The base directory, for opening the visited files later (open_beneath).
    int base_fd() const noexcept { return base_.get(); }
    // The base as shown to the user ("" for the workspace root), used to
    // turn walk-relative paths into workspace-relative ones.
    const std::string& display_prefix() const noexcept { return prefix_; }
    std::string display(const std::string& rel) const { return prefix_.empty() ? rel : prefix_ + "/" + rel; }

private:
    void load_ancestor_ignores(const Confinement& fs, const Resolved& base);
    void push_ignore_file(int dirfd, const std::string& rel_root);
    bool walk(int dirfd, const std::string& rel, const std::string& rel_root);

    UniqueFd base_;
    std::string prefix_;
    std::string base_from_root_;
    WalkOptions options_;
    CancelToken cancel_;
    IgnoreStack ignores_;
    const FileVisitor* visit_ = nullptr;
};

}  // namespace cowork::tools::code
