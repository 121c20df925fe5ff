// list_directory and file_info: metadata only, never following a symlink
// out of the workspace (a link is reported as a link, with its target).
#include "cowork_tools/binary_detect.hpp"
#include "cowork_tools/dir_entries.hpp"
#include "cowork_tools/tool_failure.hpp"
#include "file_tools.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace cowork::tools::files {
namespace {

struct ListLimits {
    int max_depth = 1;  // 1 = just this directory
    size_t max_entries = 1000;
    bool include_hidden = true;
};

struct Listing {
    std::string text;
    Json entries = Json::array();
    size_t count = 0;
    bool capped = false;
};

std::string link_target(int dirfd, const std::string& name) {
    std::string buf(PATH_MAX, '\0');
    const ssize_t n = ::readlinkat(dirfd, name.c_str(), buf.data(), buf.size());
    buf.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return buf;
}

void add_entry(Listing& out, int dirfd, const std::string& rel, const DirEntry& e) {
    struct stat st {};
    ::fstatat(dirfd, e.name.c_str(), &st, AT_SYMLINK_NOFOLLOW);
    const std::string mtime = iso_time(st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    Json entry{{"path", rel}, {"type", type_name(e.type)}, {"mtime", mtime}};
    char line[96];
    if (e.type == EntryType::file) {
        entry["size"] = static_cast<uint64_t>(st.st_size);
        std::snprintf(line, sizeof line, "file  %12lld  %s  ", static_cast<long long>(st.st_size), mtime.c_str());
        out.text += line + rel + "\n";
    } else if (e.type == EntryType::directory) {
        std::snprintf(line, sizeof line, "dir   %12s  %s  ", "-", mtime.c_str());
        out.text += line + rel + "/\n";
    } else {
        const std::string target = e.type == EntryType::symlink ? link_target(dirfd, e.name) : "";
        if (!target.empty()) entry["target"] = target;
        std::snprintf(line, sizeof line, "%-6s%12s  %s  ", e.type == EntryType::symlink ? "link" : "other", "-",
                      mtime.c_str());
        out.text += line + rel + (target.empty() ? "" : " -> " + target) + "\n";
    }
    out.entries.push_back(std::move(entry));
    ++out.count;
}

// Depth-first, sorted by name. Subdirectories are opened with O_NOFOLLOW
// from their parent's descriptor, so the walk cannot leave the tree.
void walk(const Confinement& fs, size_t root, int dirfd, const std::string& prefix, int depth, const ListLimits& lim,
          Listing& out) {
    for (const auto& e : read_entries(dirfd, prefix.empty() ? "." : prefix)) {
        if (out.count >= lim.max_entries) {
            out.capped = true;
            return;
        }
        if (!lim.include_hidden && e.name.front() == '.') continue;
        const std::string rel = prefix.empty() ? e.name : prefix + "/" + e.name;
        add_entry(out, dirfd, rel, e);
        const bool skip = e.name == ".git" || e.name == ".cowork";  // large and not the agent's business
        if (e.type == EntryType::directory && depth + 1 < lim.max_depth && !skip) {
            UniqueFd child(open_child_directory(dirfd, e.name));
            if (!child) continue;
            fs.verify_inside(child.get(), root, rel);
            walk(fs, root, child.get(), rel, depth + 1, lim, out);
        }
    }
}

Json list_directory(CallContext& ctx) {
    const std::string path = ctx.args.string("path").value_or(".");
    ListLimits lim;
    if (ctx.args.boolean("recursive", false)) lim.max_depth = static_cast<int>(ctx.args.integer("maxDepth", 3, 1, 20));
    lim.max_entries = static_cast<size_t>(ctx.args.integer("maxEntries", 1000, 1, 10000));
    lim.include_hidden = ctx.args.boolean("includeHidden", true);
    const Resolved r = ctx.fs.resolve(path, kForRead);
    const UniqueFd dir = ctx.fs.open_directory(r);
    Listing out;
    walk(ctx.fs, r.root_index, dir.get(), r.is_root() ? "" : "", 0, lim, out);
    std::string header = "'" + r.display + "': " + std::to_string(out.count) + " entries";
    if (out.capped)
        header += " (stopped at maxEntries=" + std::to_string(lim.max_entries) +
                  "; list a subdirectory or raise maxEntries up to 10000)";
    std::string text = header + "\n" + out.text;
    const bool cut = truncate_text(text);
    if (cut) text += "(output cap reached; list a subdirectory)\n";
    return text_result(text, Json{{"path", r.display}, {"entries", out.entries}, {"truncated", out.capped || cut}});
}

const char* kind(mode_t m) {
    if (S_ISREG(m)) return "file";
    if (S_ISDIR(m)) return "directory";
    if (S_ISLNK(m)) return "symlink";
    if (S_ISFIFO(m)) return "fifo";
    if (S_ISSOCK(m)) return "socket";
    if (S_ISCHR(m) || S_ISBLK(m)) return "device";
    return "other";
}

Json file_info(CallContext& ctx) {
    const std::string path = ctx.args.required_string("path");
    const Resolved r = ctx.fs.resolve(path, kForInspect);
    struct stat st {};
    if (::fstatat(r.parent.get(), r.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) throw ToolFailure("'" + r.display + "' does not exist");
        fail_errno("cannot stat '" + r.display + "'", errno);
    }
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    Json info{{"path", r.display},  {"type", kind(st.st_mode)}, {"size", static_cast<uint64_t>(st.st_size)},
              {"mode", mode},       {"links", static_cast<uint64_t>(st.st_nlink)},
              {"mtime", iso_time(st.st_mtim.tv_sec, st.st_mtim.tv_nsec)}};
    if (S_ISLNK(st.st_mode)) {
        info["target"] = link_target(r.parent.get(), r.name);
        try {
            info["resolvesTo"] = ctx.fs.resolve(path, kForRead).display;
        } catch (const ToolFailure& f) {
            info["resolvesTo"] = nullptr;
            info["refused"] = f.what();
        }
    } else if (S_ISREG(st.st_mode)) {
        const UniqueFd fd = ctx.fs.open_regular(r, O_RDONLY);
        std::string sample(kBinarySniffBytes, '\0');
        const ssize_t n = ::pread(fd.get(), sample.data(), sample.size(), 0);
        sample.resize(n > 0 ? static_cast<size_t>(n) : 0);
        info["binary"] = looks_binary(sample);
        info["mime"] = guess_mime(r.name, sample);
    }
    return text_result(info.dump(2), info);
}

}  // namespace

void add_listing_tools(ToolSet& tools) {
    tools.add({"list_directory",
               "List a directory: type, size, modification time; symlinks shown with their target, never followed. "
               "recursive=true descends up to maxDepth (default 3, max 20); at most maxEntries (default 1000).",
               {{"type", "object"},
                {"properties",
                 {{"path", {{"type", "string"}, {"description", "default: the workspace root"}}},
                  {"recursive", {{"type", "boolean"}}},
                  {"maxDepth", {{"type", "integer"}, {"minimum", 1}, {"maximum", 20}}},
                  {"maxEntries", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}}},
                  {"includeHidden", {{"type", "boolean"}}}}},
                {"additionalProperties", false}}},
              list_directory);
    tools.add({"file_info",
               "Metadata of one path without following a final symlink: type, size, mode, links, mtime; MIME guess "
               "and binary flag for files; target and where it resolves for symlinks.",
               {{"type", "object"},
                {"properties", {{"path", {{"type", "string"}}}}},
                {"required", Json::array({"path"})},
                {"additionalProperties", false}}},
              file_info);
}

}  // namespace cowork::tools::files
