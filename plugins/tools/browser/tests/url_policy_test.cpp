// URL policy: schemes, address classes, allowlists — no network needed
// (a fake resolver maps names to addresses).
#include "url_policy.hpp"

#include <gtest/gtest.h>

using namespace cowork::browser;

namespace {
std::vector<std::string> fake_resolve(const std::string& host, std::string& error) {
    if (host == "public.test") return {"93.184.216.34"};
    if (host == "rebind.test") return {"93.184.216.34", "10.0.0.7"};  // one bad address is enough
    if (host == "meta.test") return {"169.254.169.254"};
    if (host == "127.0.0.1" || host == "localhost") return {"127.0.0.1"};
    if (host == "10.1.2.3") return {"10.1.2.3"};
    if (host == "169.254.169.254") return {"169.254.169.254"};
    error = "Name or service not known";
    return {};
}
}  // namespace

TEST(UrlPolicy, OnlyHttpHttpsAndAboutBlank) {
    UrlPolicy p({}, &fake_resolve);
    EXPECT_FALSE(p.check_navigation("https://public.test/x"));
    EXPECT_FALSE(p.check_navigation("about:blank"));
    for (const char* bad : {"file:///etc/passwd", "javascript:alert(1)", "data:text/html,hi", "chrome://settings", "ftp://public.test/"})
        EXPECT_TRUE(p.check_navigation(bad)) << bad;
}

TEST(UrlPolicy, PrivateAndMetadataRefusedAfterResolution) {
    UrlPolicy p({}, &fake_resolve);
    EXPECT_NE(p.check_navigation("http://127.0.0.1:8080/")->find("loopback"), std::string::npos);
    EXPECT_NE(p.check_navigation("http://localhost/")->find("loopback"), std::string::npos);
    EXPECT_NE(p.check_navigation("http://rebind.test/")->find("private"), std::string::npos);
    EXPECT_NE(p.check_navigation("http://meta.test/")->find("metadata"), std::string::npos);
    EXPECT_TRUE(p.check_navigation("http://nowhere.test/"));
}

TEST(UrlPolicy, TricksThatChromiumNormalizesAreJudgedLikeChromium) {
    UrlPolicy p({}, &fake_resolve);
    // Chromium ends the authority at '\', so the host is 127.0.0.1.
    EXPECT_TRUE(p.check_navigation("http://127.0.0.1\\@public.test/"));
    EXPECT_TRUE(p.check_navigation("http://public.test@127.0.0.1/"));
    EXPECT_TRUE(p.check_navigation("http://127.0.0.1\t/"));
}

TEST(UrlPolicy, AllowlistAndAllowPrivate) {
    UrlPolicy listed({false, {"127.0.0.1"}}, &fake_resolve);
    EXPECT_FALSE(listed.check_navigation("http://127.0.0.1:9/"));
    EXPECT_TRUE(listed.check_navigation("http://10.1.2.3/"));
    UrlPolicy priv({true, {}}, &fake_resolve);
    EXPECT_FALSE(priv.check_navigation("http://10.1.2.3/"));
    // Metadata stays refused even with allow_private or an allowlist entry.
    EXPECT_TRUE(priv.check_navigation("http://169.254.169.254/latest/meta-data/"));
    UrlPolicy meta({false, {"169.254.169.254"}}, &fake_resolve);
    EXPECT_TRUE(meta.check_navigation("http://169.254.169.254/"));
}

TEST(UrlPolicy, RequestsAllowDataAndBlob) {
    UrlPolicy p({}, &fake_resolve);
    EXPECT_FALSE(p.check_request("data:image/png;base64,AAAA"));
    EXPECT_FALSE(p.check_request("blob:https://public.test/uuid"));
    EXPECT_TRUE(p.check_request("http://10.1.2.3/x"));
}

TEST(UrlPolicy, AddressClasses) {
    EXPECT_EQ(classify_address("::ffff:127.0.0.1"), AddressClass::loopback);
    EXPECT_EQ(classify_address("fd00:ec2::254"), AddressClass::metadata);
    EXPECT_EQ(classify_address("fe80::1"), AddressClass::link_local);
    EXPECT_EQ(classify_address("2002:0a00:0001::"), AddressClass::private_);  // 6to4 of 10.0.0.1
    EXPECT_EQ(classify_address("8.8.8.8"), AddressClass::public_);
    EXPECT_EQ(classify_address("0.0.0.0"), AddressClass::unspecified);
}
