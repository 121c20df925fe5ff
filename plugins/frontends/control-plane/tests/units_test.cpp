// Unit tests for the Beast-free pieces: frames, crypto, nonces, rate
// limiting, the send queue, idempotency and settings.
#include "crypto.hpp"
#include "frames.hpp"
#include "idempotency.hpp"
#include "nonce_book.hpp"
#include "rate_limiter.hpp"
#include "send_queue.hpp"
#include "settings.hpp"
#include "ws_client.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

using namespace cowork::cp;
using namespace std::chrono_literals;

TEST(Frames, ParsesAWellFormedRequest) {
    auto p = parse_request(R"({"type":"req","id":"a1","method":"ping","params":{"x":1},"idempotencyKey":"k"})");
    ASSERT_TRUE(p.request);
    EXPECT_EQ(p.request->id, "a1");
    EXPECT_EQ(p.request->method, "ping");
    EXPECT_EQ(p.request->params["x"], 1);
    EXPECT_EQ(p.request->idempotency_key, "k");
}

TEST(Frames, RejectsMalformedFramesAndKeepsTheIdWhenThereIsOne) {
    EXPECT_FALSE(parse_request("not json").request);
    EXPECT_FALSE(parse_request("[1]").request);
    auto no_method = parse_request(R"({"type":"req","id":7})");
    EXPECT_FALSE(no_method.request);
    EXPECT_EQ(no_method.error.id, 7);
    EXPECT_FALSE(parse_request(R"({"type":"res","id":1,"method":"x"})").request);
    EXPECT_FALSE(parse_request(R"({"type":"req","id":1,"method":"x","params":[1]})").request);
    EXPECT_FALSE(parse_request(R"({"type":"req","method":"x"})").request) << "an id is required";
}

TEST(Crypto, SignatureOverTheDocumentedStringVerifiesAndNothingElseDoes) {
    auto id = cp_test::Identity::generate();
    const std::string msg = signed_string("n0nce", 123, "operator", {"read", "write"});
    EXPECT_EQ(msg, "cowork-connect-v1\nn0nce\n123\noperator\nread,write");
    const std::string sig = id.sign(msg);
    EXPECT_TRUE(verify_ed25519(id.public_key, sig, msg));
    EXPECT_FALSE(verify_ed25519(id.public_key, sig, signed_string("n0nce", 123, "admin", {"read", "write"})));
    EXPECT_FALSE(verify_ed25519(cp_test::Identity::generate().public_key, sig, msg));
    EXPECT_FALSE(verify_ed25519("not-base64!", sig, msg));
}

TEST(Crypto, DeviceIdsAreStableAndTokensRandom) {
    auto id = cp_test::Identity::generate();
    EXPECT_EQ(device_id_for(id.public_key), device_id_for(id.public_key));
    EXPECT_FALSE(device_id_for("abc"));
    EXPECT_NE(random_b64url(32), random_b64url(32));
    EXPECT_EQ(random_b64url(32).size(), 43u);
    EXPECT_TRUE(equal_secret("abc", "abc"));
    EXPECT_FALSE(equal_secret("abc", "abd"));
    EXPECT_FALSE(equal_secret("", ""));
}

TEST(Crypto, LoopbackDetection) {
    EXPECT_TRUE(is_loopback("127.0.0.1"));
    EXPECT_TRUE(is_loopback("127.8.9.10"));
    EXPECT_TRUE(is_loopback("::1"));
    EXPECT_TRUE(is_loopback("::ffff:127.0.0.1"));
    EXPECT_FALSE(is_loopback("192.168.1.2"));
    EXPECT_FALSE(is_loopback("10.0.0.1"));
    EXPECT_FALSE(is_loopback("::ffff:10.0.0.1"));
}

TEST(NonceBookTest, SingleUseAndExpiring) {
    NonceBook book(30s);
    const auto t0 = NonceBook::Clock::now();
    book.issue("a", t0);
    book.issue("b", t0);
    EXPECT_EQ(book.consume("a", t0 + 1s), NonceBook::Use::ok);
    EXPECT_EQ(book.consume("a", t0 + 1s), NonceBook::Use::unknown) << "replay";
    EXPECT_EQ(book.consume("b", t0 + 31s), NonceBook::Use::expired);
    EXPECT_EQ(book.consume("zz", t0), NonceBook::Use::unknown);
    book.issue("c", t0);
    book.issue("d", t0 + 60s);  // prunes c
    EXPECT_EQ(book.size(), 1u);
}

TEST(RateLimiterTest, FiveFailuresBanForTheConfiguredTime) {
    RateLimiter rl(5, 300s);
    const auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 4; ++i) EXPECT_FALSE(rl.record_failure("1.2.3.4", t0));
    EXPECT_FALSE(rl.banned("1.2.3.4", t0));
    EXPECT_TRUE(rl.record_failure("1.2.3.4", t0));
    EXPECT_TRUE(rl.banned("1.2.3.4", t0 + 299s));
    EXPECT_FALSE(rl.banned("5.6.7.8", t0)) << "other addresses unaffected";
    EXPECT_FALSE(rl.banned("1.2.3.4", t0 + 301s)) << "the ban expires";
    rl.record_failure("9.9.9.9", t0);
    rl.record_success("9.9.9.9");
    for (int i = 0; i < 4; ++i) rl.record_failure("9.9.9.9", t0);
    EXPECT_FALSE(rl.banned("9.9.9.9", t0)) << "a success resets the count";
}

TEST(SendQueueTest, ShedsEventsBeforeResponsesAndOverflowsOnResponses) {
    SendQueue q(1000, 10);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(q.offer("e", true), SendQueue::Offer::queued);
    EXPECT_EQ(q.offer("e", true), SendQueue::Offer::dropped) << "events shed at half";
    EXPECT_EQ(q.offer("e", true), SendQueue::Offer::dropped);
    for (int i = 0; i < 35; ++i) EXPECT_EQ(q.offer("r", false), SendQueue::Offer::queued) << "responses are not shed";
    EXPECT_EQ(q.offer("r", false), SendQueue::Offer::overflow) << "but memory is bounded (4x)";
    EXPECT_EQ(q.dropped_total(), 2u);
    std::optional<size_t> notice;
    while (!q.empty() && !notice) notice = q.pop();
    ASSERT_TRUE(notice) << "the client is told once it drains";
    EXPECT_EQ(*notice, 2u);
    EXPECT_EQ(q.offer(std::string(600, 'x'), true), SendQueue::Offer::dropped) << "byte bound too";
}

TEST(Idempotency, ReturnsTheFirstOutcomePerCallerAndForgetsAfterTtl) {
    IdempotencyCache c(60s, 2);
    const auto t0 = IdempotencyCache::Clock::now();
    c.store("dev1", "k", {{"ok", true}}, t0);
    EXPECT_TRUE(c.find("dev1", "k", t0 + 1s));
    EXPECT_FALSE(c.find("dev2", "k", t0 + 1s)) << "keys are per caller";
    EXPECT_FALSE(c.find("dev1", "k", t0 + 61s));
    c.store("a", "1", 1, t0);
    c.store("a", "2", 2, t0);
    c.store("a", "3", 3, t0);
    EXPECT_FALSE(c.find("a", "1", t0)) << "capacity bound";
    EXPECT_TRUE(c.find("a", "3", t0));
}

TEST(SettingsTest, DefaultsAndLoudRefusalOffLoopbackWithoutTls) {
    const auto s = parse_settings(nlohmann::json::object());
    EXPECT_EQ(s.bind, "127.0.0.1");
    EXPECT_EQ(s.port, 18789);
    EXPECT_EQ(s.handshake_timeout, 10s);
    try {
        parse_settings({{"bind", "0.0.0.0"}});
        FAIL() << "non-loopback without TLS must refuse";
    } catch (const cowork::sdk::Error& e) {
        EXPECT_NE(std::string(e.what()).find("REFUSING TO START"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("tls_cert"), std::string::npos);
    }
    EXPECT_THROW(parse_settings({{"port", 70000}}), cowork::sdk::Error);
}
