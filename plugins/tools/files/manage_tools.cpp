// rename_file, delete_file (to the workspace trash, never unlink) and
// create_directory. All act on names inside confined directories with
// renameat2/mkdirat; none follows a symlink in the final component, so a
// link is moved or trashed as a link and its target is never touched.
#include "cowork_tools/tool_failure.hpp"
#include "file_tools.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>

namespace cowork::tools::files {
namespace {

constexpr const char* kTrashDir = ".cowork/trash";

// What may be moved or trashed: regular files with one link, directories
// and symlinks (as links). Devices, FIFOs and sockets are refused, and so are
// hard-linked files, which may alias a file outside the workspace.
struct stat check_movable(const Resolved& r, const char* verb) {
    if (r.is_root()) throw ToolFailure(std::string("refusing to ") + verb + " the workspace root itself");
    struct stat st {};
    if (::fstatat(r.parent.get(), r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) throw ToolFailure("'" + r.display + "' does not exist; check the path with list_directory");
        fail_errno("cannot stat '" + r.display + "'", errno);
    }
    if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode))
        throw ToolFailure("'" + r.display + "' is a special file (device, FIFO or socket); refusing to " + verb + " it");
    if (S_ISREG(st.st_mode) && st.st_nlink > 1)
        throw ToolFailure("'" + r.display + "' has " + std::to_string(st.st_nlink) +
                          " hard links and may alias a file outside the workspace; refusing to " + verb + " it");
    return st;
}

// Opens (creating if needed) one real directory below `dirfd`, never a link.
UniqueFd open_or_make_dir(int dirfd, const char* name) {
    if (::mkdirat(dirfd, name, 0700) != 0 && errno != EEXIST) fail_errno(std::string("cannot create ") + name, errno);
    UniqueFd fd(::openat(dirfd, name, O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
    if (!fd) throw ToolFailure(std::string("'") + name + "' in the workspace is not a real directory; cannot use the trash");
    return fd;
}

std::string trash_stamp() {
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const time_t secs = static_cast<time_t>(ms / 1000);
    struct tm utc {};
    ::gmtime_r(&secs, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%S", &utc);
    char millis[8];
    std::snprintf(millis, sizeof millis, "%03lld", static_cast<long long>(ms % 1000));
    return std::string(buf) + millis + "Z";
}

Json delete_file(CallContext& ctx) {
    const Resolved r = ctx.fs.resolve(ctx.args.required_string("path"), kForWrite);
    const struct stat st = check_movable(r, "delete");
    const UniqueFd cowork = open_or_make_dir(ctx.fs.workspace_fd(), ".cowork");
    const UniqueFd trash = open_or_make_dir(cowork.get(), "trash");
    ctx.fs.verify_inside(trash.get(), 0, kTrashDir);

    const std::string base = trash_stamp() + "-" + r.name;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string name = attempt == 0 ? base : base + "-" + std::to_string(attempt);
        if (::renameat2(r.parent.get(), r.name.c_str(), trash.get(), name.c_str(), RENAME_NOREPLACE) == 0) {
            const std::string where = std::string(kTrashDir) + "/" + name;
            return text_result("moved '" + r.display + "' to the trash: " + where +
                                   " (restore it with rename_file if needed)",
                               Json{{"path", r.display}, {"trashPath", where}, {"wasDirectory", S_ISDIR(st.st_mode)}});
        }
        if (errno == EEXIST) continue;
        if (errno == EXDEV)
            throw ToolFailure("'" + r.display + "' is on another file system than the workspace trash; nothing was "
                              "deleted (files are never unlinked directly)");
        if (errno == EINVAL)
            throw ToolFailure("cannot move '" + r.display + "' into the trash (it contains the trash itself)");
        fail_errno("cannot move '" + r.display + "' to the trash", errno);
    }
    throw ToolFailure("cannot find a free name in the trash for '" + r.display + "'");
}

Json rename_file(CallContext& ctx) {
    const bool overwrite = ctx.args.boolean("overwrite", false);
    ResolveOptions to_opts = kForWrite;
    to_opts.create_parents = ctx.args.boolean("createParents", false);
    const Resolved from = ctx.fs.resolve(ctx.args.required_string("oldPath"), kForWrite);
    const Resolved to = ctx.fs.resolve(ctx.args.required_string("newPath"), to_opts);
    check_movable(from, "rename");
    if (to.is_root()) throw ToolFailure("the destination cannot be the workspace root");
    struct stat existing {};
    const bool target_exists = ::fstatat(to.parent.get(), to.name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0;
    if (target_exists && !overwrite)
        throw ToolFailure("'" + to.display + "' already exists; pass overwrite=true to replace it");
    if (target_exists) {
        if (S_ISDIR(existing.st_mode)) throw ToolFailure("'" + to.display + "' is a directory; refusing to replace it");
        check_movable(to, "replace");
    }
    const unsigned flags = overwrite ? 0 : RENAME_NOREPLACE;
    if (::renameat2(from.parent.get(), from.name.c_str(), to.parent.get(), to.name.c_str(), flags) != 0) {
        if (errno == EEXIST) throw ToolFailure("'" + to.display + "' already exists; pass overwrite=true to replace it");
        if (errno == EXDEV) throw ToolFailure("cannot rename across file systems; use copy_file then delete_file");
        fail_errno("cannot rename '" + from.display + "' to '" + to.display + "'", errno);
    }
    return text_result("renamed '" + from.display + "' to '" + to.display + "'",
                       Json{{"from", from.display}, {"to", to.display}, {"replaced", target_exists}});
}

Json create_directory(CallContext& ctx) {
    ResolveOptions opts = kForWrite;
    opts.create_parents = ctx.args.boolean("parents", true);
    const Resolved r = ctx.fs.resolve(ctx.args.required_string("path"), opts);
    if (r.is_root()) return text_result("the workspace root already exists", Json{{"path", "."}, {"created", false}});
    if (::mkdirat(r.parent.get(), r.name.c_str(), 0777) == 0)
        return text_result("created directory '" + r.display + "'", Json{{"path", r.display}, {"created", true}});
    if (errno != EEXIST) fail_errno("cannot create directory '" + r.display + "'", errno);
    struct stat st {};
    if (::fstatat(r.parent.get(), r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode))
        return text_result("directory '" + r.display + "' already exists", Json{{"path", r.display}, {"created", false}});
    throw ToolFailure("'" + r.display + "' already exists and is not a directory");
}

Json object_schema(Json properties, Json required) {
    return {{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)},
            {"additionalProperties", false}};
}

}  // namespace

void add_manage_tools(ToolSet& tools) {
    tools.add({"rename_file",
               "Rename or move a file, directory or symlink within the workspace. Fails if newPath exists unless "
               "overwrite is true (directories are never replaced).",
               object_schema({{"oldPath", {{"type", "string"}}},
                              {"newPath", {{"type", "string"}}},
                              {"overwrite", {{"type", "boolean"}}},
                              {"createParents", {{"type", "boolean"}}}},
                             Json::array({"oldPath", "newPath"})),
               false, "serial", "write", "local"},
              rename_file);
    tools.add({"delete_file",
               "Delete a file, directory or symlink by moving it to <workspace>/.cowork/trash/<timestamp>-<name> "
               "(recoverable; nothing is unlinked). The trash path is returned.",
               object_schema({{"path", {{"type", "string"}}}}, Json::array({"path"})),
               false, "serial", "delete", "local"},
              delete_file);
    tools.add({"create_directory",
               "Create a directory (and missing parents unless parents=false). Succeeds if it already exists.",
               object_schema({{"path", {{"type", "string"}}}, {"parents", {{"type", "boolean"}}}}, Json::array({"path"})),
               false, "serial", "write", "local"},
              create_directory);
}

}  // namespace cowork::tools::files
