// The pieces every provider shares: key lookup, endpoint, common settings,
// the price table and tool-call arguments.
#include "price_table.hpp"
#include "provider_settings.hpp"
#include "turn.hpp"

#include <gtest/gtest.h>

#include <map>

namespace cowork::llm_common {
namespace {

Lookups fake(std::map<std::string, std::string> secrets, std::map<std::string, std::string> env) {
    Lookups l;
    l.secret = [secrets](const std::string& k) -> std::optional<std::string> {
        auto it = secrets.find(k);
        return it == secrets.end() ? std::nullopt : std::optional(it->second);
    };
    l.env = [env](const std::string& k) -> std::optional<std::string> {
        auto it = env.find(k);
        return it == env.end() ? std::nullopt : std::optional(it->second);
    };
    return l;
}

const EndpointSpec kSpec{"llm.example", "Example", {"EXAMPLE_API_KEY", "OTHER_KEY"}, {"EXAMPLE_BASE_URL"}, "https://api.example.com/"};

TEST(CommonSettings, KeyLookupChainSecretThenConfigThenEnvInOrder) {
    const Json config{{"api_key", "from-config"}};
    const auto env = std::map<std::string, std::string>{{"OTHER_KEY", "from-other"}};
    auto s = load_endpoint_settings(config, fake({{"plugin.llm.example.api_key", "from-secret"}}, env), kSpec);
    EXPECT_EQ(s.key.value, "from-secret");
    EXPECT_EQ(s.key.source, "secret plugin.llm.example.api_key");
    s = load_endpoint_settings(config, fake({}, env), kSpec);
    EXPECT_EQ(s.key.source, "config api_key");
    s = load_endpoint_settings(Json::object(), fake({}, env), kSpec);
    EXPECT_EQ(s.key.value, "from-other");
    EXPECT_EQ(s.key.source, "environment variable OTHER_KEY");
    s = load_endpoint_settings(Json::object(), fake({}, {{"EXAMPLE_API_KEY", "first"}, {"OTHER_KEY", "second"}}), kSpec);
    EXPECT_EQ(s.key.value, "first");
}

TEST(CommonSettings, NoKeyNamesEveryPlaceButNeverAKey) {
    const auto s = load_endpoint_settings(Json::object(), fake({}, {}), kSpec);
    EXPECT_TRUE(s.key.value.empty());
    EXPECT_NE(s.key.source.find("plugin.llm.example.api_key"), std::string::npos);
    try {
        s.require_key(kSpec);
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "auth");
        const std::string m = e.what();
        for (const char* place : {"cowork secrets set plugin.llm.example.api_key", "api_key setting of llm.example",
                                  "EXAMPLE_API_KEY", "OTHER_KEY"})
            EXPECT_NE(m.find(place), std::string::npos) << place;
    }
}

TEST(CommonSettings, BaseUrlConfigThenEnvThenDefaultWithoutTrailingSlash) {
    EXPECT_EQ(load_endpoint_settings(Json{{"base_url", "http://h:1/x/"}}, fake({}, {{"EXAMPLE_BASE_URL", "http://e"}}), kSpec).base_url,
              "http://h:1/x");
    EXPECT_EQ(load_endpoint_settings(Json::object(), fake({}, {{"EXAMPLE_BASE_URL", "http://e/"}}), kSpec).base_url, "http://e");
    EXPECT_EQ(load_endpoint_settings(Json::object(), fake({}, {}), kSpec).base_url, "https://api.example.com");
}

TEST(CommonSettings, RetriesTimeoutAndModels) {
    const auto s = read_common_settings(Json::parse(R"({"max_retries":5,"timeout_s":30,"models":{"m":{}}})"));
    EXPECT_EQ(s.retry_policy().max_retries, 5);
    EXPECT_EQ(s.timeout_ms, 30'000);
    EXPECT_TRUE(s.models.contains("m"));
    const auto d = read_common_settings(Json::array());
    EXPECT_EQ(d.max_retries, 3);
    EXPECT_EQ(d.timeout_ms, 600'000);
}

TEST(PriceTable, OverridesInSnakeOrCamelCaseFlatOrNestedAndAdditions) {
    PriceTable t({{"base-model", 1000, 100, {1, 2, 0.5, 0}}, {"base", 10, 10, {9, 9, 9, 9}}});
    t.merge(Json::parse(R"({"base-model":{"input_per_mtok":3,"contextWindow":2000},
                            "extra":{"context_window":5,"pricing":{"outputPerMTok":7,"cache_write_per_mtok":1}}})"));
    EXPECT_EQ(t.models().front().id, "base-model");
    EXPECT_EQ(t.models().front().pricing.input_per_mtok, 3);
    EXPECT_EQ(t.models().front().pricing.output_per_mtok, 2);  // kept
    EXPECT_EQ(t.models().front().context_window, 2000);
    EXPECT_EQ(t.models().back().id, "extra");
    EXPECT_EQ(t.models().back().pricing.output_per_mtok, 7);
    EXPECT_EQ(t.models().back().pricing.cache_write_per_mtok, 1);
    EXPECT_EQ(t.find("base-model-2025")->id, "base-model");  // longest prefix
    EXPECT_FALSE(t.find("unknown"));
    const Json usage{{"inputTokens", 1'000'000}, {"outputTokens", 0}};
    EXPECT_DOUBLE_EQ(t.cost(usage, "base-model-x"), 3.0);
    EXPECT_DOUBLE_EQ(t.cost(usage, "unknown", "base-model"), 3.0);
    EXPECT_DOUBLE_EQ(t.cost(usage, "unknown"), 0.0);
    EXPECT_EQ(t.list_json()["models"].size(), 3u);
}

TEST(ToolArguments, ObjectsPassEmptyIsNoArgumentsAnythingElseIsAnError) {
    EXPECT_EQ(tool_call_part("c", "t", Json("{\"a\":1}")), Json::parse(R"({"type":"tool_call","id":"c","name":"t","arguments":{"a":1}})"));
    EXPECT_EQ(tool_call_part("c", "t", Json{{"a", 1}})["arguments"], Json({{"a", 1}}));
    EXPECT_EQ(tool_call_part("c", "t", Json("  ")).dump(), R"({"arguments":{},"id":"c","name":"t","type":"tool_call"})");
    EXPECT_EQ(tool_call_part("c", "t", Json())["arguments"], Json::object());
    const Json bad = tool_call_part("c", "t", Json("{\"a\": nope"));
    EXPECT_EQ(bad["arguments"], Json::object());
    EXPECT_EQ(bad["argumentsError"], "the arguments are not valid JSON: {\"a\": nope");
    EXPECT_EQ(tool_call_part("c", "t", Json("[1]"))["argumentsError"], "the arguments are not a JSON object: [1]");
    EXPECT_EQ(tool_call_part("c", "t", Json::array({1}))["argumentsError"], "the arguments are not a JSON object: [1]");
}

TEST(ToolArguments, QuotesAreCappedAt200BytesOnACharacterBoundary) {
    const std::string junk = "{" + std::string(198, 'x') + "é" + std::string(100, 'y');  // é straddles byte 200
    const std::string error = parse_tool_arguments(Json(junk)).error;
    const std::string quoted = error.substr(error.find(": ") + 2);
    EXPECT_EQ(quoted, "{" + std::string(198, 'x') + "…");
    EXPECT_EQ(quote(std::string(200, 'z')), std::string(200, 'z'));
}

}  // namespace
}  // namespace cowork::llm_common
