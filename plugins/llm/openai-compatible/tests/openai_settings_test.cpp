// Endpoint, profile and key resolution: secret → config → environment.
#include "openai_settings.hpp"

#include <gtest/gtest.h>

#include <map>

namespace cowork::openai {
namespace {

Sources fake(std::map<std::string, std::string> secrets, std::map<std::string, std::string> env) {
    Sources s;
    s.secret = [secrets](const std::string& k) -> std::optional<std::string> {
        auto it = secrets.find(k);
        return it == secrets.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    s.env = [env](const std::string& k) -> std::optional<std::string> {
        auto it = env.find(k);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    return s;
}

TEST(OpenAiSettings, SecretBeatsConfigBeatsEnvironment) {
    const Json config{{"api_key", "from-config"}};
    const auto env = std::map<std::string, std::string>{{"OPENAI_API_KEY", "from-env"}};
    EXPECT_EQ(resolve_route(config, "m", fake({{"plugin.llm.openai-compatible.api_key", "from-secret"}}, env)).endpoint.api_key,
              "from-secret");
    EXPECT_EQ(resolve_route(config, "m", fake({}, env)).endpoint.api_key, "from-config");
    const Route r = resolve_route(Json::object(), "m", fake({}, env));
    EXPECT_EQ(r.endpoint.api_key, "from-env");
    EXPECT_EQ(r.endpoint.key_source, "environment variable OPENAI_API_KEY");
}

TEST(OpenAiSettings, BaseUrlFromConfigThenOpenAiBaseUrlThenDefault) {
    EXPECT_EQ(resolve_route({{"base_url", "http://h:1/v1/"}}, "m", fake({}, {{"OPENAI_BASE_URL", "http://e/v1"}})).endpoint.base_url,
              "http://h:1/v1");
    EXPECT_EQ(resolve_route(Json::object(), "m", fake({}, {{"OPENAI_BASE_URL", "http://e/v1"}})).endpoint.base_url, "http://e/v1");
    const Route r = resolve_route({{"base_url", ""}}, "m", fake({}, {}));
    EXPECT_EQ(chat_url(r.endpoint), "https://api.openai.com/v1/chat/completions");
    EXPECT_FALSE(request_headers(r.endpoint).contains("authorization"));  // no key: none sent
    EXPECT_NE(r.endpoint.key_source.find("OPENAI_API_KEY"), std::string::npos);
}

TEST(OpenAiSettings, ProfilePrefixSelectsTheEndpoint) {
    const Json config = Json::parse(R"({"api_key":"default","profiles":{
        "groq":{"base_url":"https://api.groq.com/openai/v1","api_key_env":"GROQ_API_KEY","headers":{"X-Team":"a"}}}})");
    const Route r = resolve_route(config, "groq:llama-3.1-70b", fake({}, {{"GROQ_API_KEY", "gsk"}}));
    EXPECT_EQ(r.model, "llama-3.1-70b");
    EXPECT_EQ(r.endpoint.profile, "groq");
    EXPECT_EQ(chat_url(r.endpoint), "https://api.groq.com/openai/v1/chat/completions");
    const Json h = request_headers(r.endpoint);
    EXPECT_EQ(h["authorization"], "Bearer gsk");
    EXPECT_EQ(h["x-team"], "a");
    // The profile's secret wins over its env var.
    EXPECT_EQ(resolve_route(config, "groq:x", fake({{"plugin.llm.openai-compatible.profiles.groq.api_key", "s"}}, {}))
                  .endpoint.api_key,
              "s");
    // A prefix that is no profile stays part of the model id.
    const Route plain = resolve_route(config, "qwen2.5:7b", fake({}, {}));
    EXPECT_EQ(plain.model, "qwen2.5:7b");
    EXPECT_EQ(plain.endpoint.api_key, "default");
}

TEST(OpenAiSettings, AzureUsesApiKeyHeaderAndApiVersion) {
    const Json config{{"base_url", "https://res.openai.azure.com/openai/deployments/gpt4o"}, {"azure", true}, {"api_key", "az"},
                      {"headers", {{"Authorization", "ignored"}, {"api-key", "ignored"}}}};
    const Route r = resolve_route(config, "gpt-4o", fake({}, {}));
    EXPECT_EQ(chat_url(r.endpoint), "https://res.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21");
    const Json h = request_headers(r.endpoint);
    EXPECT_EQ(h["api-key"], "az");
    EXPECT_EQ(h["authorization"], "ignored");  // an extra header, not ours: Azure ignores it
}

TEST(OpenAiSettings, ExtraHeadersNeverReplaceTheBearerKey) {
    const Json config{{"api_key", "k"}, {"headers", {{"Authorization", "Bearer other"}, {"HTTP-Referer", "https://x"}}}};
    const Json h = request_headers(resolve_route(config, "m", fake({}, {})).endpoint);
    EXPECT_EQ(h["authorization"], "Bearer k");
    EXPECT_EQ(h["http-referer"], "https://x");
}

TEST(OpenAiSettings, ProfileWithoutBaseUrlIsAConfigError) {
    EXPECT_ANY_THROW(resolve_route(Json::parse(R"({"profiles":{"p":{}}})"), "p:m", fake({}, {})));
}

}  // namespace
}  // namespace cowork::openai
