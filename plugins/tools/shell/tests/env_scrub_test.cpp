#include "env_scrub.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

using namespace cowork::shell;
using nlohmann::json;

TEST(EnvScrub, StartsFromAnAllowlist) {
    const char* parent[] = {"PATH=/opt/x/bin:/usr/bin", "LANG=C.UTF-8", "FOO_TOKEN=canary", "AWS_SECRET_ACCESS_KEY=s",
                            "COWORK_HOME=/home/u/.cowork", "EDITOR=vim", "HOME=/root", nullptr};
    const auto env = scrub_environment(parent, "/private/home", "/private/tmp", json());
    EXPECT_EQ(env.vars.at("PATH"), "/opt/x/bin:/usr/bin");
    EXPECT_EQ(env.vars.at("LANG"), "C.UTF-8");
    EXPECT_EQ(env.vars.at("HOME"), "/private/home");
    EXPECT_EQ(env.vars.at("TMPDIR"), "/private/tmp");
    for (const char* gone : {"FOO_TOKEN", "AWS_SECRET_ACCESS_KEY", "COWORK_HOME", "EDITOR"})
        EXPECT_EQ(env.vars.count(gone), 0u) << gone;
}

TEST(EnvScrub, DefaultPathWhenParentHasNone) {
    const auto env = scrub_environment(nullptr, "/h", "/t", json());
    EXPECT_NE(env.vars.at("PATH").find("/usr/bin"), std::string::npos);
}

TEST(EnvScrub, ModelVariablesPassExceptSecrets) {
    const json extra{{"MY_FLAG", "1"}, {"FOO_TOKEN", "canary"}, {"github_auth", "x"}, {"COWORK_X", "y"},
                     {"DB_PASSWORD", "p"}, {"SESSION_ID", "s"}, {"api_key", "k"}};
    const auto env = scrub_environment(nullptr, "/h", "/t", extra);
    EXPECT_EQ(env.vars.at("MY_FLAG"), "1");
    EXPECT_EQ(env.dropped.size(), 6u);
    for (const char* gone : {"FOO_TOKEN", "github_auth", "COWORK_X", "DB_PASSWORD", "SESSION_ID", "api_key"})
        EXPECT_EQ(env.vars.count(gone), 0u) << gone;
}

TEST(EnvScrub, ModelCannotOverridePrivateHomeWithSecretName) {
    EXPECT_TRUE(looks_secret("XAUTHORITY"));
    EXPECT_TRUE(looks_secret("cowork_anything"));
    EXPECT_FALSE(looks_secret("PATH"));
    EXPECT_FALSE(looks_secret("RUST_LOG"));
}

TEST(EnvScrub, RejectsBadNamesAndValues) {
    EXPECT_THROW(scrub_environment(nullptr, "/h", "/t", json{{"1ABC", "x"}}), cowork::sdk::Error);
    EXPECT_THROW(scrub_environment(nullptr, "/h", "/t", json{{"A=B", "x"}}), cowork::sdk::Error);
    EXPECT_THROW(scrub_environment(nullptr, "/h", "/t", json{{"A", 1}}), cowork::sdk::Error);
    EXPECT_THROW(scrub_environment(nullptr, "/h", "/t", json::array({"A"})), cowork::sdk::Error);
    EXPECT_TRUE(valid_env_name("_A1"));
    EXPECT_FALSE(valid_env_name(""));
}
