// The grep tool: arguments in, grep_tree, grep-style text out.
#include "code_tools.hpp"
#include "grep_search.hpp"

#include <fcntl.h>
#include <sys/stat.h>

namespace cowork::tools::code {
namespace {

GrepMode mode_from(const std::string& name) {
    if (name == "content") return GrepMode::content;
    if (name == "files_with_matches" || name == "files_only" || name == "files") return GrepMode::files_with_matches;
    if (name == "count") return GrepMode::count;
    throw sdk::invalid("grep: outputMode must be content, files_with_matches or count, got '" + name + "'");
}

GrepQuery query_from(const Arguments& args) {
    GrepQuery q;
    q.pattern = args.required_string("pattern");
    if (q.pattern.empty()) throw sdk::invalid("grep: 'pattern' must not be empty");
    q.match.ignore_case = args.boolean("ignoreCase", false) || args.boolean("-i", false);
    q.match.fixed_strings = args.boolean("fixedStrings", false);
    q.mode = mode_from(args.string("outputMode").value_or("content"));
    const int both = static_cast<int>(args.integer("contextLines", args.integer("-C", 0, 0, 100), 0, 100));
    q.before = static_cast<int>(args.integer("-B", args.integer("beforeContext", both, 0, 100), 0, 100));
    q.after = static_cast<int>(args.integer("-A", args.integer("afterContext", both, 0, 100), 0, 100));
    q.max_results = static_cast<size_t>(args.integer("maxResults", q.mode == GrepMode::content ? 500 : 1000, 1, 100000));
    q.include = args.strings("glob");
    for (auto& g : args.strings("include")) q.include.push_back(g);
    q.exclude = args.strings("exclude");
    return q;
}

std::string render(const GrepOutcome& r, const GrepQuery& q) {
    std::string out;
    for (const auto& f : r.files) {
        if (q.mode == GrepMode::content) out += f.text;
        else if (q.mode == GrepMode::files_with_matches) out += f.path + "\n";
        else out += f.path + ":" + std::to_string(f.matches) + "\n";
    }
    return out;
}

Json grep(CallContext& ctx) {
    const GrepQuery q = query_from(ctx.args);
    WalkOptions walk;
    walk.respect_gitignore = ctx.args.boolean("respectGitignore", true);
    walk.include_hidden = ctx.args.boolean("includeHidden", true);
    const Resolved base = ctx.fs.resolve(ctx.args.string("path").value_or("."), kForRead);

    // A single file: search just that file (no walk, no ignore rules).
    GrepOutcome result;
    struct stat st {};
    const bool is_file = ::fstatat(base.parent.get(), base.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
    if (is_file) {
        const std::string& shown = base.display;
        const std::string prefix = shown.size() > base.name.size() ? shown.substr(0, shown.size() - base.name.size() - 1) : "";
        result = grep_files(FileList{base.parent.get(), prefix, {base.name}}, q, ctx.cancel);
    } else {
        TreeWalker walker(ctx.fs, base, walk, ctx.cancel);
        result = grep_tree(walker, q, ctx.cancel, [&](size_t done, size_t total) {
            if (total > 2000) ctx.progress(static_cast<double>(done) / static_cast<double>(total), "scanning files");
        });
    }

    std::string text = render(result, q);
    std::string notes;
    if (result.files.empty()) {
        Json data{{"matches", 0}, {"filesScanned", result.files_scanned}, {"binarySkipped", result.binary_skipped}};
        return error_result("no matches for '" + q.pattern + "' in '" + base.display + "' (" +
                                std::to_string(result.files_scanned) +
                                " files searched). Try ignoreCase=true, a broader path, or respectGitignore=false.",
                            data);
    }
    if (result.truncated)
        notes += "(stopped at maxResults=" + std::to_string(q.max_results) +
                 "; narrow the path or glob, or raise maxResults)\n";
    if (result.binary_skipped) notes += "(" + std::to_string(result.binary_skipped) + " binary files skipped)\n";
    if (result.large_skipped) notes += "(" + std::to_string(result.large_skipped) + " files over 32 MiB skipped)\n";
    if (result.cancelled) notes += "(cancelled: results are partial)\n";
    if (truncate_text(text, kMaxTextBytes - 512))
        notes += "(output cap of 256 KiB reached; narrow the search or use outputMode=files_with_matches)\n";
    Json files = Json::array();
    for (const auto& f : result.files) files.push_back({{"path", f.path}, {"matches", f.matches}});
    return text_result(text + notes, Json{{"matches", result.total_matches},
                                          {"files", files},
                                          {"filesScanned", result.files_scanned},
                                          {"binarySkipped", result.binary_skipped},
                                          {"truncated", result.truncated}});
}

}  // namespace

void add_grep_tool(ToolSet& tools) {
    const Json str_or_list = {{"oneOf", Json::array({{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}})}};
    const Json context = {{"type", "integer"}, {"minimum", 0}, {"maximum", 100}};
    tools.add({"grep",
               "Search file contents with a POSIX extended regular expression (grep -E syntax, plus \\d). Skips .git, "
               "binary files and whatever .gitignore excludes. outputMode: content (path:line:text, default), "
               "files_with_matches, or count. Context lines with -A/-B/-C. Results capped by maxResults.",
               {{"type", "object"},
                {"properties",
                 {{"pattern", {{"type", "string"}, {"description", "regular expression (or literal with fixedStrings)"}}},
                  {"path", {{"type", "string"}, {"description", "file or directory to search; default the workspace"}}},
                  {"glob", str_or_list},
                  {"include", str_or_list},
                  {"exclude", str_or_list},
                  {"ignoreCase", {{"type", "boolean"}}},
                  {"-i", {{"type", "boolean"}}},
                  {"fixedStrings", {{"type", "boolean"}}},
                  {"contextLines", context},
                  {"-C", context},
                  {"-A", context},
                  {"-B", context},
                  {"beforeContext", context},
                  {"afterContext", context},
                  {"outputMode", {{"enum", Json::array({"content", "files_with_matches", "count"})}}},
                  {"maxResults", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100000}}},
                  {"respectGitignore", {{"type", "boolean"}}},
                  {"includeHidden", {{"type", "boolean"}}}}},
                {"required", Json::array({"pattern"})},
                {"additionalProperties", false}}},
              grep);
}

}  // namespace cowork::tools::code
