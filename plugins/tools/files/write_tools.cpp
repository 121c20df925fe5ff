// write_file and copy_file: both end in an atomic replace inside a confined
// directory, never writing through a symlink or into a hard-linked file.
#include "cowork_tools/atomic_write.hpp"
#include "cowork_tools/tool_failure.hpp"
#include "file_tools.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace cowork::tools::files {
namespace {

ResolveOptions write_options(bool create_parents) {
    ResolveOptions o = kForWrite;
    o.create_parents = create_parents;
    return o;
}

void refuse_root(const Resolved& r, const char* tool) {
    if (r.is_root()) throw ToolFailure(std::string(tool) + " needs a file path, not the workspace root");
}

bool exists_nofollow(const Resolved& r) {
    struct stat st {};
    return ::fstatat(r.parent.get(), r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
}

Json write_file(CallContext& ctx) {
    const std::string path = ctx.args.required_string("path");
    const std::string content = ctx.args.required_string("content");
    const bool create_parents = ctx.args.boolean("createParents", false);
    const Resolved r = ctx.fs.resolve(path, write_options(create_parents));
    refuse_root(r, "write_file");
    const auto result = atomic_write(r.parent.get(), r.name, r.display, std::string_view(content));
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(result.mode));
    return text_result((result.created ? "created '" : "replaced '") + r.display + "' (" +
                           std::to_string(result.bytes) + " bytes)",
                       Json{{"path", r.display}, {"bytes", result.bytes}, {"created", result.created}, {"mode", mode}});
}

Json copy_file(CallContext& ctx) {
    const std::string from = ctx.args.required_string("sourcePath");
    const std::string to = ctx.args.required_string("destPath");
    const bool overwrite = ctx.args.boolean("overwrite", false);
    const Resolved src = ctx.fs.resolve(from, kForRead);
    const UniqueFd in = ctx.fs.open_regular(src, O_RDONLY);
    struct stat st {};
    ::fstat(in.get(), &st);
    const Resolved dst = ctx.fs.resolve(to, write_options(ctx.args.boolean("createParents", false)));
    refuse_root(dst, "copy_file");
    if (!overwrite && exists_nofollow(dst))
        throw ToolFailure("'" + dst.display + "' already exists; pass overwrite=true to replace it");
    const uint64_t total = static_cast<uint64_t>(st.st_size);
    const auto result = atomic_write(
        dst.parent.get(), dst.name, dst.display,
        [&](int out) {
            size_t copied = 0;
            for (std::string chunk; !(chunk = read_all(in.get(), 1 << 20)).empty();) {
                if (ctx.cancel.cancelled()) throw ToolFailure("copy cancelled; destination left unchanged");
                write_all(out, chunk);
                copied += chunk.size();
                if (total > (8u << 20)) ctx.progress(static_cast<double>(copied) / static_cast<double>(total), "copying");
            }
            return copied;
        },
        st.st_mode & 0777);
    return text_result("copied '" + src.display + "' to '" + dst.display + "' (" + std::to_string(result.bytes) +
                           " bytes)",
                       Json{{"source", src.display}, {"dest", dst.display}, {"bytes", result.bytes},
                            {"created", result.created}});
}

}  // namespace

void add_write_tools(ToolSet& tools) {
    tools.add({"write_file",
               "Create or replace a text file in the workspace, atomically (readers see the old or the new content, "
               "never a mix). An existing file keeps its permissions. Refuses symlinks and hard-linked files.",
               {{"type", "object"},
                {"properties",
                 {{"path", {{"type", "string"}, {"description", "relative to the workspace"}}},
                  {"content", {{"type", "string"}, {"description", "the complete new content"}}},
                  {"createParents", {{"type", "boolean"}, {"description", "create missing directories (default false)"}}}}},
                {"required", Json::array({"path", "content"})},
                {"additionalProperties", false}},
               false, "serial", "write", "local"},
              write_file);
    tools.add({"copy_file",
               "Copy a regular file to a new path (atomic; keeps the permission bits). Fails if the destination "
               "exists unless overwrite is true.",
               {{"type", "object"},
                {"properties",
                 {{"sourcePath", {{"type", "string"}}},
                  {"destPath", {{"type", "string"}}},
                  {"overwrite", {{"type", "boolean"}}},
                  {"createParents", {{"type", "boolean"}}}}},
                {"required", Json::array({"sourcePath", "destPath"})},
                {"additionalProperties", false}},
               false, "serial", "write", "local"},
              copy_file);
}

}  // namespace cowork::tools::files
