#include "tree_walker.hpp"

#include "cowork_tools/atomic_write.hpp"
#include "cowork_tools/dir_entries.hpp"
#include "cowork_tools/path_text.hpp"

#include <fcntl.h>
#include <sys/stat.h>

namespace cowork::tools::code {
namespace {

constexpr size_t kMaxIgnoreFileBytes = 1 << 20;

std::string join(const std::string& a, const std::string& b) { return a.empty() ? b : a + "/" + b; }

}  // namespace

TreeWalker::TreeWalker(const Confinement& fs, const Resolved& base, WalkOptions options, CancelToken cancel)
    : base_(fs.open_directory(base)), options_(options), cancel_(std::move(cancel)) {
    prefix_ = base.is_root() && base.root_index == 0 ? "" : base.display;
    if (base.root_index == 0) base_from_root_ = base.is_root() ? "" : base.display;
    else base_from_root_ = relative_to(base.absolute, fs.root_path(base.root_index));
    if (options_.respect_gitignore) load_ancestor_ignores(fs, base);
}

// The .gitignore files from the root down to (not including) the base. If
// the base was reached through a symlink the chain is cut where the real
// directories stop: ignoring less is the safe failure.
void TreeWalker::load_ancestor_ignores(const Confinement& fs, const Resolved& base) {
    UniqueFd dir(::fcntl(fs.workspace_fd(), F_DUPFD_CLOEXEC, 0));
    if (base.root_index != 0) {
        dir.reset(::open(fs.root_path(base.root_index).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    }
    std::string so_far;
    for (const auto& part : split_components(base_from_root_)) {
        if (!dir) return;
        push_ignore_file(dir.get(), so_far);
        dir.reset(::openat(dir.get(), part.c_str(), O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
        so_far = join(so_far, part);
    }
}

void TreeWalker::push_ignore_file(int dirfd, const std::string& rel_root) {
    UniqueFd fd(::openat(dirfd, ".gitignore", O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        ignores_.push(rel_root, {});  // keep push/pop balanced
        return;
    }
    ignores_.push(rel_root, parse_gitignore(read_all(fd.get(), kMaxIgnoreFileBytes)));
}

void TreeWalker::run(const FileVisitor& on_file) {
    visit_ = &on_file;
    walk(base_.get(), "", base_from_root_);
}

bool TreeWalker::walk(int dirfd, const std::string& rel, const std::string& rel_root) {
    if (options_.respect_gitignore) push_ignore_file(dirfd, rel_root);
    bool keep_going = true;
    for (const auto& e : read_entries(dirfd, rel.empty() ? "." : rel)) {
        if (cancel_.cancelled()) {
            keep_going = false;
            break;
        }
        if (e.name == ".git" || e.name == ".cowork") continue;
        if (!options_.include_hidden && e.name.front() == '.') continue;
        const std::string child_root = join(rel_root, e.name);
        const bool is_dir = e.type == EntryType::directory;
        if (e.type != EntryType::file && !is_dir) continue;  // symlinks and specials are never followed
        if (options_.respect_gitignore && ignores_.ignored(child_root, is_dir)) continue;
        const std::string child = join(rel, e.name);
        if (is_dir) {
            UniqueFd sub(open_child_directory(dirfd, e.name));
            if (sub && !walk(sub.get(), child, child_root)) {
                keep_going = false;
                break;
            }
        } else if (!(*visit_)(dirfd, e.name, child)) {
            keep_going = false;
            break;
        }
    }
    if (options_.respect_gitignore) ignores_.pop();
    return keep_going;
}

}  // namespace cowork::tools::code
