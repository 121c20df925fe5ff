#include "policy/match.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::policy {
namespace {

TEST(GlobMatch, StarStaysInOneSegment) {
    EXPECT_TRUE(glob_match("tools.shell.*", "tools.shell.run_command"));
    EXPECT_FALSE(glob_match("tools.shell.*", "tools.shell.run.command"));
    EXPECT_FALSE(glob_match("tools.shell.*", "tools.shellx.run"));
    EXPECT_FALSE(glob_match("tools.shell.*", "tools.shell"));
    EXPECT_TRUE(glob_match("tools.*.run_command", "tools.shell.run_command"));
}

TEST(GlobMatch, DoubleStarCrossesSegments) {
    EXPECT_TRUE(glob_match("tools.**", "tools.a.b.c"));
    EXPECT_TRUE(glob_match("**", "anything.at.all"));
    EXPECT_TRUE(glob_match("**.delete*", "tools.files.delete_file"));
    EXPECT_FALSE(glob_match("**.delete*", "tools.files.undelete"));
    EXPECT_FALSE(glob_match("tools.**", "toolsx.a"));
}

TEST(GlobMatch, LiteralAndQuestionMark) {
    EXPECT_TRUE(glob_match("a.b", "a.b"));
    EXPECT_FALSE(glob_match("a.b", "a.bc"));
    EXPECT_TRUE(glob_match("a.?", "a.x"));
    EXPECT_FALSE(glob_match("a?b", "a.b"));
    EXPECT_FALSE(glob_match("", "a"));
}

TEST(PathWithin, WholeComponentsOnly) {
    EXPECT_TRUE(path_within("/a/b", "/a/b"));
    EXPECT_TRUE(path_within("/a/b", "/a/b/c"));
    EXPECT_TRUE(path_within("/a/b/", "/a/b/c"));
    EXPECT_FALSE(path_within("/a/b", "/a/bc"));
    EXPECT_FALSE(path_within("/a/b", "/a"));
    EXPECT_TRUE(path_within("/", "/anything"));
}

TEST(PathWithin, NormalisesAndRefusesTricks) {
    EXPECT_TRUE(path_within("/a/b", "/a/./b//c"));
    EXPECT_FALSE(path_within("/a/b", "/a/b/../c"));
    EXPECT_FALSE(path_within("/a/b", "a/b/c"));       // relative: never
    EXPECT_FALSE(path_within("a/b", "/a/b/c"));
    EXPECT_FALSE(path_within("/a/b", ""));
    EXPECT_TRUE(path_within("/a", "/../a/x"));         // "/.." is "/" (POSIX)
    EXPECT_FALSE(path_within("/a/b", "/a/b/c/../../bc"));
}

TEST(HostMatches, ExactAndWildcard) {
    EXPECT_TRUE(host_matches("example.com", "example.com"));
    EXPECT_TRUE(host_matches("example.com", "EXAMPLE.com."));
    EXPECT_FALSE(host_matches("example.com", "a.example.com"));
    EXPECT_TRUE(host_matches("*.example.com", "a.example.com"));
    EXPECT_TRUE(host_matches("*.example.com", "a.b.example.com"));
    EXPECT_FALSE(host_matches("*.example.com", "example.com"));
    EXPECT_FALSE(host_matches("*.example.com", "evilexample.com"));
    EXPECT_FALSE(host_matches("*.example.com", "example.com.evil.org"));
    EXPECT_TRUE(host_matches("*", "whatever.org:1"));
    EXPECT_FALSE(host_matches("example.com", ""));
}

TEST(HostMatches, Ports) {
    EXPECT_TRUE(host_matches("example.com", "example.com:8443"));
    EXPECT_TRUE(host_matches("example.com:443", "example.com:443"));
    EXPECT_FALSE(host_matches("example.com:443", "example.com:8443"));
    EXPECT_FALSE(host_matches("example.com:443", "example.com"));
    EXPECT_TRUE(host_matches("[::1]:80", "[::1]:80"));
    EXPECT_FALSE(host_matches("[::1]:80", "[::1]:81"));
}

TEST(HostOfUrl, ExtractsHostAndPort) {
    EXPECT_EQ(host_of_url("https://Example.com/x?y"), "example.com");
    EXPECT_EQ(host_of_url("http://u:p@h.test:8080/"), "h.test:8080");
    EXPECT_EQ(host_of_url("https://good.test@evil.test/"), "evil.test");
    EXPECT_EQ(host_of_url("not a url"), "");
}

}  // namespace
}  // namespace cowork::kernel::policy
