#include "plugins/discovery.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cowork::kernel::plugins {
namespace {

using testing::TempDir;

void make_plugin(const std::filesystem::path& root, const std::string& id) {
    std::filesystem::create_directories(root / id);
    std::ofstream(root / id / "cowork.plugin.json") << "{}";
}

TEST(Discovery, FirstRootWinsAndLaterCopiesAreShadowed) {
    TempDir tmp;
    const auto first = tmp.path() / "first", second = tmp.path() / "second";
    make_plugin(first, "tool.b");
    make_plugin(first, "tool.a");
    make_plugin(second, "tool.a");
    make_plugin(second, "tool.c");
    auto found = discover({{"bundled", first}, {"user", second}});
    ASSERT_EQ(found.plugins.size(), 3u);
    EXPECT_EQ(found.plugins[0].id, "tool.a");  // sorted within a root
    EXPECT_EQ(found.plugins[0].root.kind, "bundled");
    EXPECT_EQ(found.plugins[1].id, "tool.b");
    EXPECT_EQ(found.plugins[2].id, "tool.c");
    ASSERT_EQ(found.shadowed.size(), 1u);
    EXPECT_EQ(found.shadowed[0].candidate.dir, second / "tool.a");
    EXPECT_EQ(found.shadowed[0].winner, first / "tool.a");
}

TEST(Discovery, MissingRootsAndDirectoriesWithoutManifestAreSkipped) {
    TempDir tmp;
    std::filesystem::create_directories(tmp.path() / "not-a-plugin");
    std::ofstream(tmp.path() / "stray-file") << "x";
    make_plugin(tmp.path(), "tool.real");
    auto found = discover({{"system", "/nonexistent/cowork"}, {"extra", tmp.path()}});
    ASSERT_EQ(found.plugins.size(), 1u);
    EXPECT_EQ(found.plugins[0].id, "tool.real");
}

TEST(Discovery, StandardRootsInPrecedenceOrder) {
    auto roots = standard_roots("/opt/cowork/bin", "/home/u/.local/share/cowork/plugins", {"/tmp/extra"});
    ASSERT_EQ(roots.size(), 4u);
    EXPECT_EQ(roots[0].path, "/opt/cowork/lib/cowork/plugins");
    EXPECT_EQ(roots[1].path, "/usr/lib/cowork/plugins");
    EXPECT_EQ(roots[2].path, "/home/u/.local/share/cowork/plugins");
    EXPECT_EQ(roots[3].kind, "extra");
}

}  // namespace
}  // namespace cowork::kernel::plugins
