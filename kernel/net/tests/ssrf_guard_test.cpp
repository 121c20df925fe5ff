// The address filter behind cowork.http/1 "ssrfGuard" (net/ssrf_guard.hpp).
#include "net/ssrf_guard.hpp"

#include <gtest/gtest.h>

using namespace cowork::kernel::net;

namespace {
std::optional<std::string> judge(const AddressFilter& f, const std::string& host, const std::string& ip) {
    return f(ResolvedAddress{host, ip, 80});
}
}  // namespace

TEST(SsrfGuard, PublicAddressesPass) {
    const auto f = ssrf_guard({});
    EXPECT_FALSE(judge(f, "example.com", "93.184.216.34"));
    EXPECT_FALSE(judge(f, "example.com", "2606:2800:220:1:248:1893:25c8:1946"));
}

TEST(SsrfGuard, RefusesLocalAndPrivateNamingHostAddressAndWhy) {
    const auto f = ssrf_guard({});
    const auto why = judge(f, "intranet.corp", "10.0.0.5");
    ASSERT_TRUE(why);
    EXPECT_NE(why->find("intranet.corp resolves to 10.0.0.5, a private-network address"), std::string::npos) << *why;
    EXPECT_NE(why->find("allowPrivateHosts"), std::string::npos) << *why;
    EXPECT_TRUE(judge(f, "localhost", "127.0.0.1"));
    EXPECT_TRUE(judge(f, "localhost", "::1"));
    EXPECT_TRUE(judge(f, "x", "::ffff:192.168.1.1"));  // IPv4-mapped judged by its IPv4
    EXPECT_TRUE(judge(f, "x", "fe80::1"));
    EXPECT_TRUE(judge(f, "x", "0.0.0.0"));
}

TEST(SsrfGuard, ListedHostsMayReachPrivateButNeverMetadataOrLinkLocal) {
    const auto f = ssrf_guard({"Wiki.Home", "127.0.0.1", "169.254.169.254", "linklocal"});
    EXPECT_FALSE(judge(f, "wiki.home", "192.168.1.20"));  // case-insensitive, exact
    EXPECT_FALSE(judge(f, "127.0.0.1", "127.0.0.1"));
    EXPECT_TRUE(judge(f, "sub.wiki.home", "192.168.1.20"));  // exact names only
    EXPECT_TRUE(judge(f, "127.0.0.2", "127.0.0.2"));
    const auto metadata = judge(f, "169.254.169.254", "169.254.169.254");
    ASSERT_TRUE(metadata);
    EXPECT_NE(metadata->find("cloud metadata"), std::string::npos) << *metadata;
    EXPECT_TRUE(judge(f, "linklocal", "169.254.10.1"));
}
