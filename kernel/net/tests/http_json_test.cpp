// The pure pieces around the client: JSON mapping, base64, UTF-8 carry,
// redirect hops.
#include "net/base64.hpp"
#include "net/http_json.hpp"
#include "net/redirect.hpp"
#include "net/utf8.hpp"

#include <gtest/gtest.h>

using namespace cowork::kernel;
using namespace cowork::kernel::net;

TEST(HttpJson, MapsTheAbiFields) {
    auto c = http_call_from_json(Json{{"requestId", "r1"}, {"method", "POST"}, {"url", "http://h/x"},
                                      {"headers", {{"X-A", "1"}}}, {"body", "aGk="}, {"bodyBase64", true},
                                      {"timeoutMs", 1500}, {"connectTimeoutMs", 200}, {"stream", true},
                                      {"maxBytes", 10}, {"maxRedirects", 2}});
    ASSERT_TRUE(c.ok()) << c.error().message;
    EXPECT_EQ(c->request.request_id, "r1");
    EXPECT_EQ(c->request.body, "hi");
    EXPECT_EQ(c->request.timeout.count(), 1500);
    EXPECT_EQ(c->request.connect_timeout.count(), 200);
    EXPECT_EQ(c->request.max_bytes, 10u);
    EXPECT_EQ(c->request.max_redirects, 2);
    ASSERT_EQ(c->request.headers.size(), 1u);
    EXPECT_TRUE(c->stream);
}

TEST(HttpJson, RejectsBadFields) {
    for (const Json& bad : {Json{{"method", "GET"}}, Json{{"url", "http://h"}, {"headers", {{"a", 1}}}},
                            Json{{"url", "http://h"}, {"timeoutMs", -5}}, Json{{"url", "http://h"}, {"maxBytes", 0}},
                            Json{{"url", "http://h"}, {"body", "!!"}, {"bodyBase64", true}}}) {
        auto c = http_call_from_json(bad);
        EXPECT_FALSE(c.ok()) << bad.dump();
        if (!c.ok()) {
            EXPECT_EQ(c.error().code, "invalid");
        }
    }
}

TEST(HttpJson, ResponseCarriesBodyOrBytes) {
    HttpResponse r{200, {{"content-type", "text/plain"}}, std::string("\x00\xff", 2), 2, "http://h/x"};
    JsonHttpCall call;
    call.request.url = "http://h/x";
    call.response_base64 = true;
    EXPECT_EQ(http_response_to_json(r, call)["body"], "AP8=");
    call.stream = true;
    const Json streamed = http_response_to_json(r, call);
    EXPECT_EQ(streamed["bytes"], 2);
    EXPECT_FALSE(streamed.contains("body"));
}

TEST(Base64, RoundTripsEveryLength) {
    std::string bytes;
    for (int i = 0; i < 40; ++i) {
        const auto decoded = base64_decode(base64_encode(bytes));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, bytes);
        bytes += static_cast<char>(i * 37);
    }
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_FALSE(base64_decode("Zm9v!").has_value());
}

TEST(Utf8Carry, HoldsBackASplitCharacterUntilItCompletes) {
    const std::string text = "h\xC3\xA9 \xE4\xB8\xAD\xF0\x9F\x98\x80";  // "hé 中😀"
    for (size_t cut = 0; cut <= text.size(); ++cut) {
        Utf8Carry carry;
        const std::string a = carry.feed(text.substr(0, cut));
        EXPECT_EQ(complete_utf8_prefix(a), a.size()) << "cut " << cut;
        const std::string b = carry.feed(text.substr(cut));
        EXPECT_EQ(a + b + carry.flush(), text);
        EXPECT_EQ(carry.flush(), "");
    }
}

TEST(Redirect, SeeOtherBecomesGetAndCrossHostDropsCredentials) {
    HttpRequest r;
    r.method = "POST";
    r.body = "x";
    r.headers = {{"Authorization", "Bearer k"}, {"Content-Type", "a/b"}, {"X-Keep", "1"}};
    auto hop = next_hop(*parse_url("https://a.test/v1/x"), r, 303, "https://b.test/done");
    ASSERT_TRUE(hop.ok());
    EXPECT_EQ(hop->second.method, "GET");
    EXPECT_TRUE(hop->second.body.empty());
    ASSERT_EQ(hop->second.headers.size(), 1u);
    EXPECT_EQ(hop->second.headers[0].first, "X-Keep");

    auto same = next_hop(*parse_url("https://a.test/v1/x"), r, 307, "y?z=1");
    ASSERT_TRUE(same.ok());
    EXPECT_EQ(same->first.str(), "https://a.test/v1/y?z=1");
    EXPECT_EQ(same->second.method, "POST");
    EXPECT_EQ(same->second.headers.size(), 3u);
    EXPECT_FALSE(next_hop(*parse_url("https://a.test/"), r, 302, "").ok());
}
