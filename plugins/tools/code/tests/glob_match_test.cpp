#include "glob_match.hpp"

#include <gtest/gtest.h>

using cowork::tools::code::glob_match;

TEST(GlobMatch, StarStaysInOneSegment) {
    EXPECT_TRUE(glob_match("*.cpp", "a.cpp"));
    EXPECT_FALSE(glob_match("*.cpp", "src/a.cpp"));
    EXPECT_TRUE(glob_match("src/*.cpp", "src/a.cpp"));
    EXPECT_TRUE(glob_match("a?c", "abc"));
    EXPECT_FALSE(glob_match("a?c", "a/c"));
}

TEST(GlobMatch, DoubleStarSpansSegments) {
    EXPECT_TRUE(glob_match("**/*.cpp", "a.cpp"));
    EXPECT_TRUE(glob_match("**/*.cpp", "x/y/a.cpp"));
    EXPECT_TRUE(glob_match("src/**/t.h", "src/t.h"));
    EXPECT_TRUE(glob_match("src/**/t.h", "src/a/b/t.h"));
    EXPECT_FALSE(glob_match("src/**/t.h", "lib/a/t.h"));
    EXPECT_TRUE(glob_match("build/**", "build/x/y"));
    EXPECT_FALSE(glob_match("a**b", "a/b"));  // not a whole segment: acts like *
}

TEST(GlobMatch, ClassesAndEscapes) {
    EXPECT_TRUE(glob_match("[ab]x", "bx"));
    EXPECT_FALSE(glob_match("[!ab]x", "ax"));
    EXPECT_TRUE(glob_match("[a-c]x", "cx"));
    EXPECT_TRUE(glob_match("\\*", "*"));
    EXPECT_FALSE(glob_match("\\*", "a"));
    EXPECT_TRUE(glob_match("[", "["));  // unterminated class is literal
    EXPECT_TRUE(glob_match("*.CPP", "a.cpp", true));
}
