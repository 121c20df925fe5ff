#include "config/load.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::config {
namespace {

const std::string kFile = "[kernel]\nlog_level = \"warn\"\n[control_plane]\nport = 18789\n";

TEST(EnvOverrides, AppliedAfterTheFileAndTyped) {
    const Environment env{{"COWORK_KERNEL__LOG_LEVEL", "debug"},
                          {"COWORK_CONTROL_PLANE__PORT", "18790"},
                          {"COWORK_KERNEL__DISABLED_PLUGINS", "channel.slack, channel.discord"},
                          {"COWORK_KERNEL__PLUGIN_DIRS", ""},
                          {"COWORK_HOME", "/ignored"},
                          {"COWORK_PASSPHRASE", "not-an-override"}};
    auto loaded = load_text(kFile, "c.toml", env);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->config.kernel.log_level, "debug");
    EXPECT_EQ(loaded->config.control_plane.port, 18790);
    EXPECT_EQ(loaded->config.kernel.disabled_plugins, (std::vector<std::string>{"channel.slack", "channel.discord"}));
    EXPECT_TRUE(loaded->config.kernel.plugin_dirs.empty());
    EXPECT_TRUE(loaded->warnings.empty());
}

TEST(EnvOverrides, BadValuesAreErrorsNamingTheVariable) {
    auto loaded = load_text(kFile, "c.toml", {{"COWORK_CONTROL_PLANE__PORT", "80a"}, {"COWORK_HOOKS__PORT", "70000"}});
    ASSERT_FALSE(loaded.ok());
    const auto& msg = loaded.error().message;
    EXPECT_NE(msg.find("env COWORK_CONTROL_PLANE__PORT: error: control_plane.port must be an integer"), std::string::npos) << msg;
    EXPECT_NE(msg.find("env COWORK_HOOKS__PORT: error: hooks.port is 70000"), std::string::npos) << msg;
}

TEST(EnvOverrides, UnknownOverrideWarns) {
    auto loaded = load_text(kFile, "c.toml", {{"COWORK_KERNEL__LOGLEVEL", "debug"}});
    ASSERT_TRUE(loaded.ok());
    ASSERT_EQ(loaded->warnings.size(), 1u);
    EXPECT_EQ(loaded->warnings[0].file, "env COWORK_KERNEL__LOGLEVEL");
    EXPECT_EQ(loaded->config.kernel.log_level, "warn");
}

}  // namespace
}  // namespace cowork::kernel::config

namespace cowork::kernel::config {
namespace {

TEST(AgentSection, NumbersFromFileAndEnvironmentAreRangeChecked) {
    auto loaded = load_text("[agent]\nmax_cost_usd = 2\ndaily_cost_cap_usd = 12.5\nfallback = [\"llm.ollama:llama3\"]\n",
                            "c.toml", {{"COWORK_AGENT__MAX_COST_USD", "0.25"}});
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_DOUBLE_EQ(loaded->config.agent.max_cost_usd, 0.25);
    EXPECT_DOUBLE_EQ(loaded->config.agent.daily_cost_cap_usd, 12.5);
    EXPECT_EQ(loaded->config.agent.fallback, (std::vector<std::string>{"llm.ollama:llama3"}));
    EXPECT_EQ(loaded->config.agent.max_concurrent_tasks, 8);
    auto bad = load_text("[agent]\nmax_cost_usd = -1\nmax_concurrent_tasks = 0\n", "c.toml", {});
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("agent.max_cost_usd"), std::string::npos) << bad.error().message;
    EXPECT_NE(bad.error().message.find("agent.max_concurrent_tasks"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace cowork::kernel::config
