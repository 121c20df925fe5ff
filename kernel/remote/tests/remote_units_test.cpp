// The CLI's control-plane client, the parts that need no server: URL
// parsing, the device key file, stale listener files.
#include "remote/device_key.hpp"
#include "remote/listener.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>

using namespace cowork::kernel::remote;
namespace fs = std::filesystem;

TEST(RemoteUrl, ParsesWsWssAndIpv6) {
    auto a = parse_ws_url("ws://127.0.0.1:18789/");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "127.0.0.1");
    EXPECT_EQ(a->port, "18789");
    EXPECT_FALSE(a->tls);
    auto b = parse_ws_url("wss://[::1]:9000/x");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->host, "::1");
    EXPECT_EQ(b->port, "9000");
    EXPECT_EQ(b->path, "/x");
    EXPECT_TRUE(b->tls);
    EXPECT_FALSE(parse_ws_url("http://127.0.0.1:1/"));
}

TEST(RemoteDeviceKey, RoundTripsPrivatelyAndSignsVerifiably) {
    cowork::testing::TempDir dir;
    const fs::path file = dir.path() / "cfg" / "cli-device.json";
    auto none = load_device_key(file);
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    DeviceKey k = DeviceKey::generate();
    k.device_id = "d0123456789abcdef0123";
    ASSERT_TRUE(save_device_key(file, k));
    EXPECT_EQ(fs::status(file).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
    auto back = load_device_key(file);
    ASSERT_TRUE(back && *back);
    EXPECT_EQ((*back)->device_id, k.device_id);
    EXPECT_EQ((*back)->public_key, k.public_key);
    const std::string msg = connect_message("n", 5, "admin", {"read", "admin"});
    EXPECT_EQ(msg, "cowork-connect-v1\nn\n5\nadmin\nread,admin");
    const std::string sig = (*back)->sign(msg);
    unsigned char raw_sig[64], raw_pk[32];
    size_t n = 0;
    ASSERT_EQ(sodium_base642bin(raw_sig, 64, sig.data(), sig.size(), nullptr, &n, nullptr,
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
    ASSERT_EQ(sodium_base642bin(raw_pk, 32, k.public_key.data(), k.public_key.size(), nullptr, &n, nullptr,
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
    EXPECT_EQ(crypto_sign_verify_detached(raw_sig, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), raw_pk), 0);

    fs::permissions(file, fs::perms::group_read, fs::perm_options::add);
    auto exposed = load_device_key(file);
    ASSERT_FALSE(exposed);
    EXPECT_NE(exposed.error().message.find("chmod 600"), std::string::npos) << exposed.error().message;
}

TEST(RemoteListener, MissingAndStaleFilesSayWhy) {
    cowork::testing::TempDir dir;
    auto missing = find_listener(dir.path());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "unavailable");
    EXPECT_NE(missing.error().message.find("start coworkd"), std::string::npos);
    fs::create_directories(listener_file(dir.path()).parent_path());
    // A pid that cannot exist (above pid_max): the daemon was killed with -9.
    std::ofstream(listener_file(dir.path())) << R"({"url":"ws://127.0.0.1:1/","pid":2147483000,"tokenFile":"x"})";
    auto stale = find_listener(dir.path());
    ASSERT_FALSE(stale);
    EXPECT_NE(stale.error().message.find("no longer running"), std::string::npos) << stale.error().message;
    std::ofstream(listener_file(dir.path())) << R"({"url":"ws://127.0.0.1:1/","pid":)" << ::getpid() << R"(,"tokenFile":"x"})";
    auto alive = find_listener(dir.path());
    ASSERT_TRUE(alive) << alive.error().message;
    EXPECT_EQ(alive->endpoint.port, "1");
}
