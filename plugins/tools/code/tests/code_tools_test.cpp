// tool.code through its C entry point.
#include "plugin_harness.hpp"

#include <sys/stat.h>
#include <sys/time.h>

using namespace cowork::tools::testing;

namespace {
LoadedPlugin& plugin() {
    static LoadedPlugin p(COWORK_TOOL_CODE_SO);
    return p;
}
Json call(const Scratch& s, const std::string& tool, const Json& args) { return plugin().call(tool, args, s.ws().string()); }

void set_mtime(const fs::path& p, long seconds) {
    const struct timeval tv[2] = {{seconds, 0}, {seconds, 0}};
    ::utimes(p.c_str(), tv);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) out.push_back(text.substr(start, nl - start));
    return out;
}

// A small repository with ignore rules at two levels.
struct Repo : Scratch {
    Repo() {
        write(ws() / ".gitignore", "*.log\nbuild/\n/secret.txt\n");
        write(ws() / "src/.gitignore", "!keep.log\ngen/\n");
        write(ws() / "src/main.cpp", "int main() {\n  return helper();\n}\n");
        write(ws() / "src/util.cpp", "int helper() {\n  // TODO: tidy\n  return 42;\n}\n");
        write(ws() / "src/keep.log", "TODO in a kept log\n");
        write(ws() / "src/gen/out.cpp", "TODO generated\n");
        write(ws() / "debug.log", "TODO in a log\n");
        write(ws() / "build/x.cpp", "TODO in build\n");
        write(ws() / "secret.txt", "TODO secret\n");
        write(ws() / "docs/readme.md", "Nothing to do here\nTODO: docs\n");
        write(ws() / ".git/config", "TODO in git\n");
        write(ws() / "blob.bin", std::string("TODO\0binary", 11));
    }
};
}  // namespace

TEST(CodeTools, GlobOrdersByMtimeOrName) {
    Repo r;
    set_mtime(r.ws() / "src/main.cpp", 1000);
    set_mtime(r.ws() / "src/util.cpp", 2000);
    Json out = call(r, "glob", {{"pattern", "**/*.cpp"}});
    EXPECT_EQ(out["data"]["paths"], Json({"src/util.cpp", "src/main.cpp"}));  // gen/ and build/ ignored
    out = call(r, "glob", {{"pattern", "**/*.cpp"}, {"sortBy", "name"}, {"respectGitignore", false}});
    EXPECT_EQ(out["data"]["paths"], Json({"build/x.cpp", "src/gen/out.cpp", "src/main.cpp", "src/util.cpp"}));
    out = call(r, "glob", {{"pattern", "*.cpp"}, {"path", "src"}, {"sortBy", "name"}, {"maxResults", 1}});
    EXPECT_EQ(out["data"]["paths"], Json({"src/main.cpp"}));
    EXPECT_TRUE(out["data"]["truncated"].get<bool>());
    EXPECT_TRUE(is_error(call(r, "glob", {{"pattern", "*.nothing"}})));
}

TEST(CodeTools, GrepRespectsGitignoreAndSkipsGitAndBinary) {
    Repo r;
    const Json out = call(r, "grep", {{"pattern", "TODO"}, {"outputMode", "files_with_matches"}});
    ASSERT_FALSE(is_error(out)) << out;
    EXPECT_EQ(lines(text_of(out)), (std::vector<std::string>{"docs/readme.md", "src/keep.log", "src/util.cpp",
                                                             "(1 binary files skipped)"}));
    const Json all = call(r, "grep", {{"pattern", "TODO"}, {"outputMode", "count"}, {"respectGitignore", false}});
    EXPECT_EQ(all["data"]["files"].size(), 7u);  // still no .git, still no binary
}

TEST(CodeTools, GrepContentWithContextAndCounts) {
    Repo r;
    Json out = call(r, "grep", {{"pattern", "return"}, {"path", "src"}, {"-B", 1}});
    EXPECT_EQ(lines(text_of(out)), (std::vector<std::string>{"src/main.cpp-1-int main() {", "src/main.cpp:2:  return helper();",
                                                             "src/util.cpp-2-  // TODO: tidy", "src/util.cpp:3:  return 42;"}));
    out = call(r, "grep", {{"pattern", "int|return"}, {"path", "src/util.cpp"}, {"outputMode", "count"}});
    EXPECT_EQ(text_of(out), "src/util.cpp:2\n");
    out = call(r, "grep", {{"pattern", "todo"}, {"ignoreCase", true}, {"glob", "*.md"}});
    EXPECT_EQ(lines(text_of(out)), (std::vector<std::string>{"docs/readme.md:2:TODO: docs"}));
    out = call(r, "grep", {{"pattern", "helper"}, {"exclude", "main.cpp"}});
    EXPECT_EQ(out["data"]["matches"], 1);
}

TEST(CodeTools, GrepContextMergesOverlappingGroups) {
    Scratch s;
    Scratch::write(s.ws() / "f", "a\nHIT1\nb\nHIT2\nc\nd\ne\nf\nHIT3\n");
    const Json out = call(s, "grep", {{"pattern", "HIT"}, {"-C", 1}});
    EXPECT_EQ(lines(text_of(out)), (std::vector<std::string>{"f-1-a", "f:2:HIT1", "f-3-b", "f:4:HIT2", "f-5-c", "--",
                                                             "f-8-f", "f:9:HIT3"}));
}

TEST(CodeTools, GrepMaxResultsIsDeterministic) {
    Scratch s;
    for (int i = 0; i < 200; ++i) Scratch::write(s.ws() / ("d" + std::to_string(i % 7)) / ("f" + std::to_string(i)), "x\nx\n");
    const Json a = call(s, "grep", {{"pattern", "x"}, {"maxResults", 25}});
    const Json b = call(s, "grep", {{"pattern", "x"}, {"maxResults", 25}});
    EXPECT_EQ(a["data"]["matches"], 25);
    EXPECT_TRUE(a["data"]["truncated"].get<bool>());
    EXPECT_EQ(text_of(a), text_of(b));
    EXPECT_NE(text_of(a).find("maxResults=25"), std::string::npos);
}

TEST(CodeTools, GrepReportsBadRegexAndNoMatches) {
    Repo r;
    Json out = call(r, "grep", {{"pattern", "a[b"}});
    EXPECT_TRUE(is_error(out));
    EXPECT_NE(text_of(out).find("invalid regular expression"), std::string::npos);
    out = call(r, "grep", {{"pattern", "zzz-not-here"}});
    EXPECT_TRUE(is_error(out));
    EXPECT_NE(text_of(out).find("no matches"), std::string::npos);
    EXPECT_EQ(call(r, "grep", {{"pattern", "x"}, {"outputMode", "lines"}})["abiError"], COWORK_E_INVALID);
}

TEST(CodeTools, GrepNeverLeavesTheWorkspace) {
    Repo r;
    Scratch::write(r.outside() / "o.txt", "TODO outside\n");
    fs::create_symlink(r.outside(), r.ws() / "out");
    fs::create_symlink(r.outside() / "o.txt", r.ws() / "o-link.txt");
    Json out = call(r, "grep", {{"pattern", "outside"}});
    EXPECT_TRUE(is_error(out));  // links are not followed by the walk
    out = call(r, "grep", {{"pattern", "outside"}, {"path", "out"}});
    EXPECT_TRUE(is_error(out));
    EXPECT_NE(text_of(out).find("escapes the workspace"), std::string::npos);
}

TEST(CodeTools, EditFileUniqueNoneMultipleReplaceAll) {
    Scratch s;
    Scratch::write(s.ws() / "e.txt", "alpha beta alpha\n");
    ::chmod((s.ws() / "e.txt").c_str(), 0755);
    Json out = call(s, "edit_file", {{"file_path", "e.txt"}, {"old_string", "gamma"}, {"new_string", "x"}});
    EXPECT_NE(text_of(out).find("old_string not found"), std::string::npos);
    out = call(s, "edit_file", {{"file_path", "e.txt"}, {"old_string", "alpha"}, {"new_string", "x"}});
    EXPECT_NE(text_of(out).find("found 2 matches"), std::string::npos);
    EXPECT_EQ(Scratch::read(s.ws() / "e.txt"), "alpha beta alpha\n");
    out = call(s, "edit_file", {{"file_path", "e.txt"}, {"old_string", "beta"}, {"new_string", "BETA"}});
    EXPECT_FALSE(is_error(out));
    out = call(s, "edit_file", {{"file_path", "e.txt"}, {"old_string", "alpha"}, {"new_string", "A"}, {"replace_all", true}});
    EXPECT_EQ(out["data"]["replacements"], 2);
    EXPECT_EQ(Scratch::read(s.ws() / "e.txt"), "A BETA A\n");
    EXPECT_EQ(fs::status(s.ws() / "e.txt").permissions() & fs::perms::all, fs::perms(0755));
}

TEST(CodeTools, EditFileKeepsCrlfAndRefusesLinks) {
    Scratch s;
    Scratch::write(s.ws() / "w.txt", "one\r\ntwo\r\n");
    Json out = call(s, "edit_file", {{"file_path", "w.txt"}, {"old_string", "one\ntwo"}, {"new_string", "1\n2"}});
    EXPECT_FALSE(is_error(out)) << out;
    EXPECT_EQ(Scratch::read(s.ws() / "w.txt"), "1\r\n2\r\n");
    Scratch::write(s.outside() / "o.txt", "canary");
    fs::create_symlink(s.outside() / "o.txt", s.ws() / "link.txt");
    out = call(s, "edit_file", {{"file_path", "link.txt"}, {"old_string", "canary"}, {"new_string", "x"}});
    EXPECT_TRUE(is_error(out));
    EXPECT_EQ(Scratch::read(s.outside() / "o.txt"), "canary");
    EXPECT_EQ(call(s, "edit_file", {{"file_path", "w.txt"}, {"old_string", ""}, {"new_string", "x"}})["abiError"],
              COWORK_E_INVALID);
}
