// The SSRF guard decides on addresses alone: no traffic in these tests.
#include "net/address_filter.hpp"

#include <gtest/gtest.h>

using namespace cowork::kernel::net;

namespace {
std::optional<std::string> judge(const AddressFilter& f, const std::string& ip) { return f({"h.test", ip, 80}); }
}  // namespace

TEST(SsrfFilter, RefusesLocalPrivateLinkLocalAndMetadata) {
    const auto f = ssrf_filter(false);
    for (const char* ip : {"127.0.0.1", "127.8.9.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                           "169.254.169.254", "169.254.1.1", "100.64.0.1", "0.0.0.0", "::1", "::", "fd00::1",
                           "fc00::5", "fe80::1", "fe80::1%eth0", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
                           "fd00:ec2::254", "224.0.0.1", "255.255.255.255", "64:ff9b::a9fe:a9fe"}) {
        const auto why = judge(f, ip);
        EXPECT_TRUE(why.has_value()) << ip << " should be refused";
        if (why) {
            EXPECT_NE(why->find(ip), std::string::npos) << *why;
        }
    }
}

TEST(SsrfFilter, AllowsPublicAddresses) {
    const auto f = ssrf_filter(false);
    for (const char* ip : {"93.184.216.34", "1.1.1.1", "8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"})
        EXPECT_FALSE(judge(f, ip).has_value()) << ip << " should be allowed";
}

TEST(SsrfFilter, AllowPrivateStillBlocksMetadataAndLinkLocal) {
    const auto f = ssrf_filter(true);
    EXPECT_FALSE(judge(f, "127.0.0.1").has_value());
    EXPECT_FALSE(judge(f, "192.168.1.10").has_value());
    EXPECT_FALSE(judge(f, "fd12::1").has_value());
    EXPECT_TRUE(judge(f, "169.254.169.254").has_value());
    EXPECT_TRUE(judge(f, "fe80::1").has_value());
    EXPECT_TRUE(judge(f, "fd00:ec2::254").has_value());
}

TEST(SsrfFilter, ClassifiesMetadataSeparately) {
    EXPECT_EQ(classify_address("169.254.169.254"), AddressClass::metadata);
    EXPECT_EQ(classify_address("fd00:ec2::254"), AddressClass::metadata);
    EXPECT_EQ(classify_address("not-an-ip"), AddressClass::invalid);
}
