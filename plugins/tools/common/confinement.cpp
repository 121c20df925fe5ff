// The confined path resolver. Security argument, in short:
//  * The walk starts from a descriptor of a canonical root and moves only by
//    openat(dir, one_component, O_PATH|O_NOFOLLOW|O_DIRECTORY): the kernel
//    never follows a symlink on our behalf, so swapping a directory for a
//    symlink between two steps makes the step fail instead of leaving.
//  * Symlinks are followed (reads only) by reading the link and pushing its
//    target back into the walk: absolute targets must lie in a root, relative
//    ones are walked like typed components, and ".." can never climb above
//    the root's descriptor. 40 hops at most, as the kernel allows.
//  * The directory handed back, and every file opened from it, is re-checked
//    through /proc/self/fd: a directory moved out of the root mid-operation
//    is refused rather than used.
#include "cowork_tools/confinement.hpp"

#include "cowork_tools/path_text.hpp"
#include "cowork_tools/tool_failure.hpp"

#include <cowork/sdk/error.hpp>

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>

namespace cowork::tools {
namespace {

constexpr int kMaxSymlinkHops = 40;

UniqueFd duplicate(int fd) {
    UniqueFd copy(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
    if (!copy) fail_errno("cannot duplicate a directory descriptor", errno);
    return copy;
}

std::string read_link_at(int dirfd, const std::string& name) {
    std::string buf(PATH_MAX, '\0');
    const ssize_t n = ::readlinkat(dirfd, name.c_str(), buf.data(), buf.size());
    if (n < 0) fail_errno("cannot read symlink '" + name + "'", errno);
    buf.resize(static_cast<size_t>(n));
    return buf;
}

const char* kind_of(mode_t mode) {
    if (S_ISREG(mode)) return "regular file";
    if (S_ISDIR(mode)) return "directory";
    if (S_ISLNK(mode)) return "symlink";
    if (S_ISFIFO(mode)) return "FIFO (named pipe)";
    if (S_ISSOCK(mode)) return "socket";
    if (S_ISCHR(mode)) return "character device";
    if (S_ISBLK(mode)) return "block device";
    return "special file";
}

// "/a/./b//c" → "/a/b/c" but ".." is kept: the walk gives it meaning.
std::string drop_dots(std::string_view absolute) {
    std::vector<std::string> parts;
    for (auto& p : split_components(absolute))
        if (p != ".") parts.push_back(std::move(p));
    return "/" + join_components(parts);
}

// ".." that climbs above the start of a relative path is refused before any
// lookup, so the message is the same whether or not the directories exist.
void refuse_lexical_escape(const std::string& arg) {
    if (arg.front() == '/') return;  // absolute: checked against the roots
    int depth = 0;
    for (const auto& part : split_components(arg)) {
        if (part == ".") continue;
        depth += part == ".." ? -1 : 1;
        if (depth < 0)
            throw ToolFailure("path '" + arg + "' escapes the workspace: '..' climbs above the workspace root");
    }
}

}  // namespace


struct Confinement::Walk {
    size_t root = 0;
    std::vector<UniqueFd> dirs;     // dirs[0] is the root; dirs[i] holds names[i-1]
    std::vector<std::string> names;
    std::deque<std::string> pending;
    int hops = 0;
    std::string via;                // the last symlink followed, for messages
};

Confinement::Confinement(const std::string& workspace, const std::vector<std::string>& allowed_roots) {
    auto add = [this](const std::string& given, bool required) {
        if (given.empty() || given.front() != '/') {
            if (required) throw sdk::invalid("context.workspace must be an absolute path, got '" + given + "'");
            return;
        }
        char canonical[PATH_MAX];
        UniqueFd fd;
        if (::realpath(given.c_str(), canonical)) fd.reset(::open(canonical, O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!fd) {
            if (required) throw sdk::invalid("workspace '" + given + "' is not an accessible directory");
            return;  // an allowed root that does not exist grants nothing
        }
        roots_.push_back(Root{canonical, normalize_absolute(given), std::move(fd)});
    };
    add(workspace, true);
    for (const auto& root : allowed_roots) add(root, false);
}

Confinement Confinement::from_context(const nlohmann::json& context) {
    if (!context.is_object() || !context.contains("workspace") || !context["workspace"].is_string())
        throw sdk::invalid("call context has no workspace: file tools need context.workspace");
    std::vector<std::string> allowed;
    if (auto it = context.find("allowedRoots"); it != context.end() && it->is_array())
        for (const auto& r : *it)
            if (r.is_string()) allowed.push_back(r.get<std::string>());
    return Confinement(context["workspace"].get<std::string>(), allowed);
}

bool Confinement::locate(std::string_view absolute, size_t& root, std::string& rest) const {
    // Prefer the deepest root so an allowed root nested in another wins.
    size_t best_len = 0;
    bool found = false;
    for (size_t i = 0; i < roots_.size(); ++i) {
        for (const std::string* prefix : {&roots_[i].path, &roots_[i].given}) {
            if (is_within(absolute, *prefix) && (!found || prefix->size() > best_len)) {
                root = i;
                rest = relative_to(absolute, *prefix);
                best_len = prefix->size();
                found = true;
            }
        }
    }
    return found;
}

std::string Confinement::display_for(size_t root, const std::vector<std::string>& names,
                                     const std::string& leaf) const {
    std::vector<std::string> all = names;
    if (!leaf.empty() && leaf != ".") all.push_back(leaf);
    const std::string rel = join_components(all);
    if (root == 0) return rel.empty() ? "." : rel;
    return rel.empty() ? roots_[root].path : roots_[root].path + "/" + rel;
}

Resolved Confinement::resolve(std::string_view path, const ResolveOptions& options) const {
    if (path.empty()) throw sdk::invalid("path is empty");
    if (path.find('\0') != std::string_view::npos) throw sdk::invalid("path contains a NUL byte");
    const std::string arg(path);

    refuse_lexical_escape(arg);
    Walk w;
    std::string rest = arg;
    if (arg.front() == '/' && !locate(drop_dots(arg), w.root, rest))
        throw ToolFailure("path '" + arg + "' is outside the workspace (" + workspace() +
                          ") and every allowed root; use a path relative to the workspace");
    w.dirs.push_back(duplicate(roots_[w.root].fd.get()));
    for (auto& c : split_components(rest)) w.pending.push_back(std::move(c));

    auto shown = [&](const std::string& leaf) { return display_for(w.root, w.names, leaf); };

    // Replace the symlink `name` in the current directory by its target.
    auto expand_symlink = [&](const std::string& name) {
        if (++w.hops > kMaxSymlinkHops) throw ToolFailure("too many levels of symlinks resolving '" + arg + "'");
        const std::string target = read_link_at(w.dirs.back().get(), name);
        const std::string link = shown(name);
        w.via = "symlink '" + link + "' → " + target;
        std::vector<std::string> parts = split_components(target);
        if (!target.empty() && target.front() == '/') {
            size_t root = 0;
            std::string below;
            if (!locate(drop_dots(target), root, below))
                throw ToolFailure("path '" + arg + "' escapes the workspace via " + w.via +
                                  "; only symlinks that stay inside the workspace are followed");
            w.root = root;
            w.dirs.clear();
            w.names.clear();
            w.dirs.push_back(duplicate(roots_[root].fd.get()));
            parts = split_components(below);
        }
        w.pending.insert(w.pending.begin(), parts.begin(), parts.end());
    };

    std::string final_name;
    bool have_final = false;
    bool just_created = false;
    while (!w.pending.empty()) {
        const std::string c = w.pending.front();
        w.pending.pop_front();
        if (c == ".") continue;
        if (c == "..") {
            if (w.names.empty()) {
                if (!w.via.empty())
                    throw ToolFailure("path '" + arg + "' escapes the workspace via " + w.via);
                throw ToolFailure("path '" + arg + "' escapes the workspace: '..' climbs above " +
                                  roots_[w.root].path);
            }
            w.names.pop_back();
            w.dirs.pop_back();
            continue;
        }
        if (w.pending.empty()) {  // the final component
            struct stat st {};
            if (options.follow_final && ::fstatat(w.dirs.back().get(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                S_ISLNK(st.st_mode)) {
                expand_symlink(c);
                continue;
            }
            final_name = c;
            have_final = true;
            break;
        }
        UniqueFd next(::openat(w.dirs.back().get(), c.c_str(), O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
        if (next) {
            w.dirs.push_back(std::move(next));
            w.names.push_back(c);
            just_created = false;
            continue;
        }
        const int err = errno;
        if (err == ENOENT && options.create_parents && !just_created) {
            if (::mkdirat(w.dirs.back().get(), c.c_str(), 0777) != 0 && errno != EEXIST)
                fail_errno("cannot create directory '" + shown(c) + "'", errno);
            w.pending.push_front(c);  // open what we just made, through the same checks
            just_created = true;
            continue;
        }
        if (err == ENOTDIR || err == ELOOP) {
            struct stat st {};
            if (::fstatat(w.dirs.back().get(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
                if (!options.follow_symlinks) {
                    std::string target;
                    try {
                        target = read_link_at(w.dirs.back().get(), c);
                    } catch (const ToolFailure&) {
                        target = "?";
                    }
                    throw ToolFailure("refusing path '" + arg + "': '" + shown(c) + "' is a symlink (→ " + target +
                                      "); writes never go through symlinks, use the real path");
                }
                expand_symlink(c);
                continue;
            }
            if (err == ENOTDIR)
                throw ToolFailure("'" + shown(c) + "' is a " + (st.st_mode ? kind_of(st.st_mode) : "file") +
                                  ", not a directory (in path '" + arg + "')");
        }
        if (err == ENOENT)
            throw ToolFailure("directory '" + shown(c) + "' does not exist (in path '" + arg +
                              "'); check the path with list_directory");
        fail_errno("cannot open directory '" + shown(c) + "'", err);
    }

    Resolved r;
    r.root_index = w.root;
    if (!have_final) {
        // The path names a directory we already hold: hand back its parent.
        if (w.names.empty()) {
            r.name = ".";
            r.parent = std::move(w.dirs.back());
        } else {
            r.name = w.names.back();
            w.names.pop_back();
            w.dirs.pop_back();
            r.parent = std::move(w.dirs.back());
        }
    } else {
        r.name = final_name;
        r.parent = std::move(w.dirs.back());
    }
    r.display = display_for(w.root, w.names, r.name);
    const std::string rel = join_components(w.names) + (r.is_root() ? "" : (w.names.empty() ? "" : "/") + r.name);
    r.absolute = rel.empty() ? roots_[w.root].path : roots_[w.root].path + "/" + rel;
    verify_inside(r.parent.get(), r.root_index, r.display);
    return r;
}

void Confinement::verify_inside(int fd, size_t root_index, const std::string& display) const {
    const std::string proc = "/proc/self/fd/" + std::to_string(fd);
    std::string actual(PATH_MAX, '\0');
    const ssize_t n = ::readlink(proc.c_str(), actual.data(), actual.size());
    if (n < 0)
        throw ToolFailure("cannot verify where '" + display + "' lives (is /proc mounted?); refusing to touch it");
    actual.resize(static_cast<size_t>(n));
    if (!is_within(actual, roots_.at(root_index).path))
        throw ToolFailure("'" + display + "' is no longer inside " + roots_[root_index].path + " (now " + actual +
                          "); it was moved during the operation, refusing");
}

UniqueFd Confinement::open_regular(const Resolved& r, int flags) const {
    // O_NONBLOCK: opening a FIFO swapped in at the last moment must not hang.
    UniqueFd fd(::openat(r.parent.get(), r.name.c_str(), flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd) {
        const int err = errno;
        if (err == ENOENT) throw ToolFailure("'" + r.display + "' does not exist; check the path with list_directory or glob");
        if (err == ELOOP) throw ToolFailure("'" + r.display + "' is a symlink; it is not followed here, use the real path");
        if (err == EISDIR) throw ToolFailure("'" + r.display + "' is a directory; use list_directory");
        if (err == ENXIO) throw ToolFailure("'" + r.display + "' is a FIFO; only regular files are supported");
        fail_errno("cannot open '" + r.display + "'", err);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) fail_errno("cannot stat '" + r.display + "'", errno);
    if (!S_ISREG(st.st_mode))
        throw ToolFailure("'" + r.display + "' is a " + kind_of(st.st_mode) + "; only regular files are supported");
    verify_inside(fd.get(), r.root_index, r.display);
    const int fl = ::fcntl(fd.get(), F_GETFL);
    if (fl >= 0) ::fcntl(fd.get(), F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

UniqueFd Confinement::open_directory(const Resolved& r) const {
    UniqueFd fd(::openat(r.parent.get(), r.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) {
        const int err = errno;
        if (err == ENOENT) throw ToolFailure("directory '" + r.display + "' does not exist");
        if (err == ENOTDIR) throw ToolFailure("'" + r.display + "' is not a directory; use file_info or read_file");
        if (err == ELOOP) throw ToolFailure("'" + r.display + "' is a symlink; it is not followed here");
        fail_errno("cannot open directory '" + r.display + "'", err);
    }
    verify_inside(fd.get(), r.root_index, r.display);
    return fd;
}

}  // namespace cowork::tools
