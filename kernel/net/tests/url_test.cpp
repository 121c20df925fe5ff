#include "net/url.hpp"

#include <gtest/gtest.h>

using namespace cowork::kernel::net;

TEST(Url, ParsesSchemeHostPortAndTarget) {
    auto u = parse_url("HTTPS://API.Example.com:8443/v1/chat?x=1#frag");
    ASSERT_TRUE(u.ok()) << u.error().message;
    EXPECT_EQ(u->scheme, "https");
    EXPECT_EQ(u->host, "api.example.com");
    EXPECT_EQ(u->port, 8443);
    EXPECT_EQ(u->target, "/v1/chat?x=1");
    EXPECT_EQ(u->host_port(), "api.example.com:8443");
    EXPECT_EQ(u->authority(), "api.example.com:8443");
}

TEST(Url, DefaultsPortAndPathAndBracketsIpv6) {
    auto u = parse_url("http://[::1]?q");
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u->host, "::1");
    EXPECT_EQ(u->port, 80);
    EXPECT_EQ(u->target, "/?q");
    EXPECT_EQ(u->host_port(), "[::1]:80");
    EXPECT_EQ(u->authority(), "[::1]");
    EXPECT_EQ(parse_url("https://a.b")->port, 443);
}

TEST(Url, RefusesWhatWeCannotOrShouldNotFetch) {
    for (const char* bad : {"ftp://x/", "example.com/x", "http://user:pw@evil.test/", "http://:80/", "http://h:0/",
                            "http://h:99999/", "http://h:/", "http://[::1/", "http://h/a b"}) {
        auto u = parse_url(bad);
        EXPECT_FALSE(u.ok()) << bad;
        if (!u.ok()) {
            EXPECT_EQ(u.error().code, "invalid") << bad;
        }
    }
}
