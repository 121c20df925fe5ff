#include "plugins/semver.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::plugins {
namespace {

Version v(const char* text) { return Version::parse(text).value(); }
bool in(const char* range, const char* version) { return VersionRange::parse(range).value().contains(v(version)); }

TEST(Semver, ParsesStrictly) {
    EXPECT_EQ(v("1.2.3").to_string(), "1.2.3");
    EXPECT_EQ(v("1.0.0-rc.1+build.5").to_string(), "1.0.0-rc.1+build.5");
    for (const char* bad : {"1.2", "1", "01.2.3", "1.2.3-", "1.2.3-01", "v1.2.3", "1.2.x", "", "1.2.3.4", "a.b.c"})
        EXPECT_FALSE(Version::parse(bad)) << bad;
}

TEST(Semver, PrereleaseOrderingFollowsTheSpec) {
    const char* ordered[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                             "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"};
    for (size_t i = 1; i < std::size(ordered); ++i) EXPECT_LT(v(ordered[i - 1]), v(ordered[i])) << ordered[i];
    EXPECT_EQ(v("1.0.0+a"), v("1.0.0+b"));  // build metadata does not order
    EXPECT_LT(v("1.9.0"), v("1.10.0"));
}

TEST(Semver, ExactAndComparatorRanges) {
    EXPECT_TRUE(in("1.2.3", "1.2.3"));
    EXPECT_FALSE(in("1.2.3", "1.2.4"));
    EXPECT_TRUE(in("=1.2.3", "1.2.3"));
    EXPECT_TRUE(in(">=1.2.0 <2.0.0", "1.9.9"));
    EXPECT_FALSE(in(">=1.2.0 <2.0.0", "2.0.0"));
    EXPECT_FALSE(in(">=1.2.0 <2.0.0", "1.1.9"));
    EXPECT_TRUE(in(">= 1.2.0", "1.2.0"));  // operator and version may be apart
}

TEST(Semver, CaretAndTilde) {
    EXPECT_TRUE(in("^1.2", "1.2.0"));
    EXPECT_TRUE(in("^1.2", "1.99.0"));
    EXPECT_FALSE(in("^1.2", "2.0.0"));
    EXPECT_FALSE(in("^1.2", "1.1.9"));
    EXPECT_TRUE(in("^0.2.3", "0.2.9"));
    EXPECT_FALSE(in("^0.2.3", "0.3.0"));
    EXPECT_FALSE(in("^0.0.3", "0.0.4"));
    EXPECT_TRUE(in("~1.2.3", "1.2.9"));
    EXPECT_FALSE(in("~1.2.3", "1.3.0"));
    EXPECT_TRUE(in("~1", "1.9.0"));
}

TEST(Semver, WildcardsAndPartials) {
    EXPECT_TRUE(in("*", "0.0.1"));
    EXPECT_TRUE(in("1.x", "1.5.0"));
    EXPECT_FALSE(in("1.x", "2.0.0"));
    EXPECT_TRUE(in("1.2.*", "1.2.7"));
    EXPECT_FALSE(in("1.2.*", "1.3.0"));
    EXPECT_TRUE(in(">1.2", "1.3.0"));
    EXPECT_FALSE(in(">1.2", "1.2.9"));
    EXPECT_TRUE(in("<=1.2", "1.2.9"));
    EXPECT_FALSE(in("<=1.2", "1.3.0"));
}

TEST(Semver, AlternativesAndHyphen) {
    EXPECT_TRUE(in("^1.0 || ^3.0", "3.1.0"));
    EXPECT_FALSE(in("^1.0 || ^3.0", "2.1.0"));
    EXPECT_TRUE(in("1.0.0 - 2.0.0", "2.0.0"));
    EXPECT_FALSE(in("1.0.0 - 2.0.0", "2.0.1"));
}

TEST(Semver, PrereleasesOnlyMatchWhenAskedFor) {
    EXPECT_FALSE(in("^1.0.0", "1.5.0-rc.1"));
    EXPECT_FALSE(in("<2.0.0", "2.0.0-beta"));
    EXPECT_TRUE(in(">=1.5.0-rc.1 <2.0.0", "1.5.0-rc.2"));
    EXPECT_FALSE(in(">=1.5.0-rc.1 <2.0.0", "1.6.0-rc.1"));
}

TEST(Semver, RejectsNonsenseRanges) {
    for (const char* bad : {">=banana", "1.2.3.4", "^^1", "~x.1", "1.x.3", "<>1.0.0"})
        EXPECT_FALSE(VersionRange::parse(bad)) << bad;
}

}  // namespace
}  // namespace cowork::kernel::plugins
