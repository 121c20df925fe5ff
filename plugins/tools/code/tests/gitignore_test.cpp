// The gitignore semantics table: each row is a rule set, a path and what git
// decides for it.
#include "gitignore.hpp"

#include <gtest/gtest.h>

using namespace cowork::tools::code;

namespace {
struct Row {
    const char* rules;
    const char* path;
    bool is_dir;
    bool ignored;
};
}  // namespace

TEST(Gitignore, SemanticsTable) {
    const Row rows[] = {
        {"*.log", "a.log", false, true},
        {"*.log", "deep/dir/a.log", false, true},           // no slash: any depth
        {"/top.txt", "top.txt", false, true},                // anchored
        {"/top.txt", "sub/top.txt", false, false},
        {"docs/*.md", "docs/a.md", false, true},             // middle slash anchors
        {"docs/*.md", "x/docs/a.md", false, false},
        {"build/", "build", true, true},                     // dir only
        {"build/", "build", false, false},
        {"*.log\n!keep.log", "keep.log", false, false},      // negation, last wins
        {"!keep.log\n*.log", "keep.log", false, true},
        {"**/gen/*.c", "a/b/gen/x.c", false, true},
        {"lib/**/*.o", "lib/x/y/z.o", false, true},
        {"# comment\n\n", "# comment", false, false},
        {"\\#hash", "#hash", false, true},
        {"\\!bang", "!bang", false, true},
        {"trail   ", "trail", false, true},
        {"a/**", "a/b/c", false, true},
    };
    for (const auto& row : rows) {
        IgnoreStack stack;
        stack.push("", parse_gitignore(row.rules));
        EXPECT_EQ(stack.ignored(row.path, row.is_dir), row.ignored) << "rules: " << row.rules << " path: " << row.path;
    }
}

TEST(Gitignore, NestedFilesOverrideAndAreScoped) {
    IgnoreStack stack;
    stack.push("", parse_gitignore("*.txt\n"));
    stack.push("sub", parse_gitignore("!important.txt\n/local.txt\n"));
    EXPECT_TRUE(stack.ignored("a.txt", false));
    EXPECT_FALSE(stack.ignored("sub/important.txt", false));
    EXPECT_TRUE(stack.ignored("other/important.txt", false));
    EXPECT_TRUE(stack.ignored("sub/local.txt", false));
    EXPECT_FALSE(stack.ignored("local.txt.bak", false));
    stack.pop();
    EXPECT_TRUE(stack.ignored("sub/important.txt", false));
}
