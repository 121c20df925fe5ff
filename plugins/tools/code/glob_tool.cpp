// The glob tool: files whose workspace path matches a pattern with **.
#include "code_tools.hpp"
#include "glob_match.hpp"
#include "tree_walker.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>

namespace cowork::tools::code {
namespace {

struct Found {
    std::string path;
    int64_t mtime_ns = 0;
};

Json glob(CallContext& ctx) {
    const std::string pattern = ctx.args.required_string("pattern");
    if (pattern.empty()) throw sdk::invalid("glob: 'pattern' must not be empty");
    if (pattern.front() == '/') throw sdk::invalid("glob: the pattern is relative to 'path'; drop the leading '/'");
    const std::string sort = ctx.args.string("sortBy").value_or("mtime");
    if (sort != "mtime" && sort != "name") throw sdk::invalid("glob: sortBy must be 'mtime' or 'name'");
    const size_t max = static_cast<size_t>(ctx.args.integer("maxResults", 1000, 1, 100000));
    const bool icase = ctx.args.boolean("ignoreCase", false);
    WalkOptions options;
    options.respect_gitignore = ctx.args.boolean("respectGitignore", true);

    const Resolved base = ctx.fs.resolve(ctx.args.string("path").value_or("."), kForRead);
    TreeWalker walker(ctx.fs, base, options, ctx.cancel);
    std::vector<Found> found;
    walker.run([&](int dirfd, const std::string& name, const std::string& rel) {
        if (!glob_match(pattern, rel, icase)) return true;
        struct stat st {};
        ::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW);
        found.push_back({walker.display(rel), static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec});
        return true;
    });
    if (sort == "mtime")  // newest first; the name breaks ties so the order is stable
        std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
            return a.mtime_ns != b.mtime_ns ? a.mtime_ns > b.mtime_ns : a.path < b.path;
        });
    else
        std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.path < b.path; });

    if (found.empty())
        return error_result("no files match '" + pattern + "' under '" + base.display +
                            "'. Patterns are relative to that directory; use '**/' to search all levels "
                            "(e.g. '**/*.cpp').");
    const bool capped = found.size() > max;
    const size_t total = found.size();
    if (capped) found.resize(max);
    std::string text;
    Json paths = Json::array();
    for (const auto& f : found) {
        text += f.path + "\n";
        paths.push_back(f.path);
    }
    if (capped)
        text += "(" + std::to_string(total) + " files match; showing " + std::to_string(max) +
                ". Narrow the pattern or raise maxResults)\n";
    if (truncate_text(text)) text += "(output cap reached; narrow the pattern)\n";
    return text_result(text, Json{{"paths", paths}, {"total", total}, {"truncated", capped}});
}

}  // namespace

void add_glob_tool(ToolSet& tools) {
    tools.add({"glob",
               "Find files by name pattern relative to 'path' (default the workspace): * and ? stay within one "
               "directory, ** spans directories ('**/*.ts', 'src/**/test_*.py'), [abc] classes. Newest first "
               "(sortBy=mtime) or alphabetical (sortBy=name). Skips .git and .gitignore'd files.",
               {{"type", "object"},
                {"properties",
                 {{"pattern", {{"type", "string"}}},
                  {"path", {{"type", "string"}}},
                  {"sortBy", {{"enum", Json::array({"mtime", "name"})}}},
                  {"maxResults", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100000}}},
                  {"ignoreCase", {{"type", "boolean"}}},
                  {"respectGitignore", {{"type", "boolean"}}}}},
                {"required", Json::array({"pattern"})},
                {"additionalProperties", false}}},
              glob);
}

}  // namespace cowork::tools::code
