// Unit tests for the Beast-free pieces: templates, signatures (against the
// published GitHub and Svix examples), config validation, error mapping.
#include "hooks_config.hpp"
#include "responses.hpp"
#include "signature.hpp"
#include "template.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

using namespace cowork::hooks;
using nlohmann::json;

namespace {

std::chrono::system_clock::time_point at_unix(long long s) {
    return std::chrono::system_clock::time_point(std::chrono::seconds(s));
}

std::string config_error(const json& c) {
    try {
        parse_config(c);
    } catch (const cowork::sdk::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(HooksTemplate, PathsIntoTheBodyAndMissingPathsRenderEmpty) {
    const json body = {{"issue", {{"title", "Crash on start"}, {"labels", {{{"name", "bug"}}, {{"name", "p1"}}}}}},
                       {"n", 42},
                       {"flag", true},
                       {"nothing", nullptr}};
    EXPECT_EQ(render("New issue: {{issue.title}}", body), "New issue: Crash on start");
    EXPECT_EQ(render("{{ issue.labels[1].name }}/{{n}}/{{flag}}", body), "p1/42/true");
    EXPECT_EQ(render("[{{issue.missing}}][{{issue.labels[9].name}}][{{nothing}}]", body), "[][][]");
    EXPECT_EQ(render("{{issue.labels[0]}}", body), R"({"name":"bug"})");
    EXPECT_EQ(render("no placeholders {{ unclosed", body), "no placeholders {{ unclosed");
    EXPECT_EQ(render("{{n.}}{{.n}}{{issue..title}}{{issue.labels[x]}}", body), "");
}

TEST(HooksTemplate, SubstitutedValuesAreNeverExpandedAgain) {
    const json body = {{"title", "{{secret}} and {{{x}}}"}, {"secret", "LEAK"}};
    const std::string out = render("T: {{title}}", body);
    EXPECT_EQ(out.find("LEAK"), std::string::npos) << out;
    EXPECT_EQ(out.find("{{"), std::string::npos) << "defanged so a later renderer cannot expand it: " << out;
    EXPECT_EQ(render(out, body), out) << "rendering the output again changes nothing";
}

TEST(HooksSignature, GitHubExampleFromTheirDocs) {
    // docs.github.com "Validating webhook deliveries" test values.
    const std::string secret = "It's a Secret to Everybody";
    const std::string body = "Hello, World!";
    const std::string good = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    EXPECT_EQ("sha256=" + to_hex(hmac_sha256(secret, body)), good);
    EXPECT_TRUE(verify_github(secret, good, body).ok);
    EXPECT_FALSE(verify_github(secret, good, body + " ").ok);
    EXPECT_FALSE(verify_github("other", good, body).ok);
    EXPECT_FALSE(verify_github(secret, "", body).ok);
    EXPECT_FALSE(verify_github(secret, good.substr(7), body).ok) << "the sha256= prefix is required";
    EXPECT_FALSE(verify_github(secret, good.substr(0, good.size() - 2), body).ok) << "truncated digest";
}

TEST(HooksSignature, SvixExampleFromTheirLibraryTests) {
    const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const std::string id = "msg_p5jXN8AQM9LWM0D4loKWxJek", ts = "1614265330", body = R"({"test": 2432232314})";
    const std::string sig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    const auto now = at_unix(1614265330 + 10);
    const std::chrono::seconds tol(300);
    EXPECT_TRUE(verify_svix(secret, id, ts, sig, body, now, tol).ok);
    EXPECT_TRUE(verify_svix(secret, id, ts, "v1,bm90IGl0 " + sig, body, now, tol).ok) << "one of several may match";
    EXPECT_FALSE(verify_svix(secret, id, ts, sig, body + " ", now, tol).ok);
    EXPECT_FALSE(verify_svix(secret, "msg_other", ts, sig, body, now, tol).ok);
    EXPECT_FALSE(verify_svix(secret, id, ts, "v2," + sig.substr(3), body, now, tol).ok) << "only v1 is understood";
    const Verdict stale = verify_svix(secret, id, ts, sig, body, at_unix(1614265330 + 301), tol);
    EXPECT_FALSE(stale.ok);
    EXPECT_NE(stale.why.find("window"), std::string::npos) << stale.why;
    EXPECT_FALSE(verify_svix(secret, id, ts, sig, body, at_unix(1614265330 - 301), tol).ok) << "future timestamps too";
    EXPECT_FALSE(verify_svix(secret, id, "16142x5330", sig, body, now, tol).ok);
    EXPECT_FALSE(verify_svix("whsec_!!notbase64", id, ts, sig, body, now, tol).ok);
}

TEST(HooksSignature, PlainSchemeWithAndWithoutTimestamp) {
    const std::string body = R"({"a":1})";
    const std::string sig = to_hex(hmac_sha256("k", body));
    const auto now = at_unix(1700000000);
    EXPECT_TRUE(verify_plain("k", sig, nullptr, body, now, std::chrono::seconds(300)).ok);
    EXPECT_TRUE(verify_plain("k", "sha256=" + sig, nullptr, body, now, std::chrono::seconds(300)).ok);
    EXPECT_FALSE(verify_plain("k2", sig, nullptr, body, now, std::chrono::seconds(300)).ok);
    const std::string ts = "1700000000";
    const std::string tsig = to_hex(hmac_sha256("k", ts + "." + body));
    EXPECT_TRUE(verify_plain("k", tsig, &ts, body, now, std::chrono::seconds(300)).ok);
    EXPECT_FALSE(verify_plain("k", tsig, &ts, body, at_unix(1700000000 + 600), std::chrono::seconds(300)).ok);
    EXPECT_FALSE(verify_plain("k", sig, &ts, body, now, std::chrono::seconds(300)).ok) << "the timestamp is signed";
}

TEST(HooksSignature, TokensCompareWithoutShortcuts) {
    EXPECT_TRUE(tokens_equal("abc", "abc"));
    EXPECT_FALSE(tokens_equal("abd", "abc"));
    EXPECT_FALSE(tokens_equal("ab", "abc"));
    EXPECT_FALSE(tokens_equal("", ""));
    EXPECT_FALSE(tokens_equal("x", ""));
}

TEST(HooksConfig, DefaultsAndMappings) {
    const HooksConfig d = parse_config(json::object());
    EXPECT_EQ(d.bind, "127.0.0.1");
    EXPECT_EQ(d.port, 9877);
    EXPECT_EQ(d.base_path, "/hooks");
    EXPECT_EQ(d.max_body_bytes, 256u * 1024);
    EXPECT_EQ(d.token_secret, "hooks.token");

    const HooksConfig c = parse_config(
        {{"base_path", "in/"},
         {"mappings",
          {{{"path", "/github"}, {"action", "agent"}, {"messageTemplate", "x"},
            {"hmac", {{"secret", "hooks.gh"}, {"scheme", "github"}}}},
           {{"path", "svix"}, {"action", "wake"}, {"messageTemplate", "x"}, {"token", "hooks.svix-token"},
            {"hmac", {{"secret", "hooks.svix"}, {"scheme", "svix"}, {"toleranceSeconds", 60}}}}}}});
    EXPECT_EQ(c.base_path, "/in");
    ASSERT_EQ(c.mappings.size(), 2u);
    EXPECT_EQ(c.mappings[0].path, "/in/github");
    EXPECT_EQ(c.mappings[0].hmac->header, "x-hub-signature-256");
    EXPECT_FALSE(c.mappings[0].uses_global_token());
    EXPECT_EQ(c.mappings[1].hmac->timestamp_header, "svix-timestamp");
    EXPECT_EQ(c.mappings[1].hmac->tolerance.count(), 60);
    EXPECT_EQ(c.mappings[1].token, "hooks.svix-token");
}

TEST(HooksConfig, RefusalsNameTheKeyAndTheFix) {
    EXPECT_NE(config_error({{"bind", "0.0.0.0"}}).find("REFUSING TO START"), std::string::npos);
    EXPECT_NE(config_error({{"bind", "192.168.1.5"}}).find("loopback"), std::string::npos);
    EXPECT_EQ(config_error({{"bind", "::1"}}), "");
    EXPECT_NE(config_error({{"port", 70000}}).find("port"), std::string::npos);
    EXPECT_NE(config_error({{"token_secret", "provider.openai"}}).find("must start with \"hooks.\""), std::string::npos);
    EXPECT_NE(config_error({{"mappings", {{{"path", "x"}, {"action", "nope"}, {"messageTemplate", "m"}}}}})
                  .find("mappings[0].action"),
              std::string::npos);
    EXPECT_NE(config_error({{"mappings", {{{"path", "x"}, {"action", "agent"}}}}}).find("messageTemplate"),
              std::string::npos);
    EXPECT_NE(config_error({{"mappings", {{{"path", "x"}, {"action", "task_message"}, {"messageTemplate", "m"}}}}})
                  .find("taskIdTemplate"),
              std::string::npos);
    EXPECT_NE(config_error({{"mappings", {{{"path", "../x"}, {"action", "agent"}, {"messageTemplate", "m"}}}}})
                  .find("path"),
              std::string::npos);
    EXPECT_NE(config_error({{"mappings",
                             {{{"path", "x"}, {"action", "agent"}, {"messageTemplate", "m"},
                               {"hmac", {{"secret", "hooks.k"}, {"scheme", "md5"}}}}}}})
                  .find("hmac.scheme"),
              std::string::npos);
    EXPECT_NE(config_error({{"mappings",
                             {{{"path", "x"}, {"action", "agent"}, {"messageTemplate", "m"}},
                              {{"path", "x"}, {"action", "wake"}, {"messageTemplate", "m"}}}}})
                  .find("mapped twice"),
              std::string::npos);
}

TEST(HooksResponses, KernelErrorsMapToHttpStatuses) {
    EXPECT_EQ(http_status_for("INVALID_PARAMS"), 400);
    EXPECT_EQ(http_status_for("UNKNOWN_METHOD"), 501);
    EXPECT_EQ(http_status_for("UNAUTHORIZED"), 403);
    EXPECT_EQ(http_status_for("METHOD_FAILED"), 502);
    EXPECT_EQ(http_status_for("INTERNAL_ERROR"), 502);
    const Response r = kernel_failure("cron.wake", KernelResult{false, {}, "UNKNOWN_METHOD", "unknown method 'cron.wake'"});
    EXPECT_EQ(r.status, 501);
    EXPECT_EQ(r.body["ok"], false);
    EXPECT_EQ(r.body["error"]["code"], "UNKNOWN_METHOD");
    EXPECT_NE(r.body["error"]["message"].get<std::string>().find("cron.wake"), std::string::npos);
}
