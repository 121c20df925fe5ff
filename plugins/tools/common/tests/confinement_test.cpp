// Direct tests of the resolver; the hostile end-to-end cases (TOCTOU, hard
// links, FIFOs) run through the built plugins in files/tests.
#include "cowork_tools/confinement.hpp"
#include "cowork_tools/path_text.hpp"
#include "cowork_tools/tool_failure.hpp"
#include "plugin_harness.hpp"

#include <cowork/sdk/error.hpp>

using namespace cowork::tools;
using cowork::tools::testing::Scratch;
namespace fs = std::filesystem;

namespace {
std::string failure_of(const Confinement& c, const std::string& path, const ResolveOptions& o) {
    try {
        c.resolve(path, o);
    } catch (const ToolFailure& f) {
        return f.what();
    }
    return "";
}
}  // namespace

TEST(PathText, NormalizeAndWithin) {
    EXPECT_EQ(normalize_absolute("/a//b/./c/../d"), "/a/b/d");
    EXPECT_EQ(normalize_absolute("/../.."), "/");
    EXPECT_TRUE(is_within("/ws/a", "/ws"));
    EXPECT_TRUE(is_within("/ws", "/ws"));
    EXPECT_FALSE(is_within("/ws2/a", "/ws"));
    EXPECT_EQ(relative_to("/ws/a/b", "/ws"), "a/b");
}

TEST(Confinement, ResolvesInsidePaths) {
    Scratch s;
    Scratch::write(s.ws() / "src/a.txt", "x");
    Confinement c(s.ws().string(), {});
    auto r = c.resolve("src/./a.txt", kForRead);
    EXPECT_EQ(r.name, "a.txt");
    EXPECT_EQ(r.display, "src/a.txt");
    EXPECT_EQ(c.resolve((s.ws() / "src/a.txt").string(), kForRead).display, "src/a.txt");
    EXPECT_TRUE(c.resolve(".", kForRead).is_root());
    EXPECT_EQ(c.resolve("src/../src/a.txt", kForRead).display, "src/a.txt");
}

TEST(Confinement, RefusesDotDotAndAbsoluteEscapes) {
    Scratch s;
    Confinement c(s.ws().string(), {});
    EXPECT_NE(failure_of(c, "../outside/x", kForRead).find("escapes the workspace"), std::string::npos);
    EXPECT_NE(failure_of(c, "a/../../x", kForRead).find("escapes"), std::string::npos);
    EXPECT_NE(failure_of(c, "/etc/passwd", kForRead).find("outside the workspace"), std::string::npos);
    EXPECT_NE(failure_of(c, (s.ws() / "../outside/x").string(), kForRead).find("escapes"), std::string::npos);
}

TEST(Confinement, SymlinkEscapesNameTheLink) {
    Scratch s;
    fs::create_symlink("/etc", s.ws() / "etc");
    fs::create_symlink("..", s.ws() / "up");
    fs::create_directories(s.ws() / "d");
    fs::create_symlink("../../outside", s.ws() / "d/chain2");
    fs::create_symlink("d/chain2", s.ws() / "chain1");
    Confinement c(s.ws().string(), {});
    const auto etc = failure_of(c, "etc/passwd", kForRead);
    EXPECT_NE(etc.find("via symlink 'etc' → /etc"), std::string::npos) << etc;
    EXPECT_NE(failure_of(c, "up/outside", kForRead).find("symlink 'up'"), std::string::npos);
    EXPECT_NE(failure_of(c, "chain1/x", kForRead).find("symlink 'd/chain2'"), std::string::npos);
    // Final-component symlink escapes too.
    EXPECT_NE(failure_of(c, "etc", kForRead).find("escapes"), std::string::npos);
}

TEST(Confinement, InsideSymlinksFollowedForReadsOnly) {
    Scratch s;
    Scratch::write(s.ws() / "real/a.txt", "x");
    fs::create_symlink("real", s.ws() / "alias");
    fs::create_symlink(s.ws() / "real/a.txt", s.ws() / "abs-link");
    Confinement c(s.ws().string(), {});
    EXPECT_EQ(c.resolve("alias/a.txt", kForRead).display, "real/a.txt");
    EXPECT_EQ(c.resolve("abs-link", kForRead).display, "real/a.txt");
    EXPECT_NE(failure_of(c, "alias/a.txt", kForWrite).find("writes never go through symlinks"), std::string::npos);
    // Without following the final component, the link itself is named.
    EXPECT_EQ(c.resolve("abs-link", kForWrite).name, "abs-link");
}

TEST(Confinement, AllowedRootsAndSymlinksIntoThem) {
    Scratch s;
    Scratch::write(s.outside() / "shared.txt", "x");
    fs::create_symlink(s.outside(), s.ws() / "out");
    Confinement only_ws(s.ws().string(), {});
    EXPECT_FALSE(failure_of(only_ws, (s.outside() / "shared.txt").string(), kForRead).empty());
    Confinement with_root(s.ws().string(), {s.outside().string()});
    auto r = with_root.resolve((s.outside() / "shared.txt").string(), kForRead);
    EXPECT_EQ(r.root_index, 1u);
    EXPECT_EQ(with_root.resolve("out/shared.txt", kForRead).root_index, 1u);
}

TEST(Confinement, SymlinkLoopsAreBounded) {
    Scratch s;
    fs::create_symlink("b", s.ws() / "a");
    fs::create_symlink("a", s.ws() / "b");
    Confinement c(s.ws().string(), {});
    EXPECT_NE(failure_of(c, "a/x", kForRead).find("too many levels"), std::string::npos);
}

TEST(Confinement, CreateParentsMakesDirectories) {
    Scratch s;
    Confinement c(s.ws().string(), {});
    EXPECT_NE(failure_of(c, "x/y/z.txt", kForWrite).find("does not exist"), std::string::npos);
    ResolveOptions o = kForWrite;
    o.create_parents = true;
    auto r = c.resolve("x/y/z.txt", o);
    EXPECT_EQ(r.display, "x/y/z.txt");
    EXPECT_TRUE(fs::is_directory(s.ws() / "x/y"));
}

TEST(Confinement, BadWorkspaceIsInvalid) {
    EXPECT_THROW(Confinement("relative/ws", {}), cowork::sdk::Error);
    EXPECT_THROW(Confinement("/definitely/not/here", {}), cowork::sdk::Error);
}
