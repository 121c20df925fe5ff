// The table the config component hands over is one the policy accepts.
#include "config/load.hpp"
#include "policy/engine.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::policy {
namespace {

TEST(ConfigIntegration, DefaultConfigYieldsBuiltinPolicy) {
    auto loaded = config::load_text(config::default_config_text(), "default.toml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    auto rules = PolicyRules::with_builtin(loaded->config.policy_table());
    ASSERT_TRUE(rules.ok()) << rules.error().message;
    EXPECT_EQ(rules->to_json(), PolicyRules::builtin().to_json());
}

TEST(ConfigIntegration, TomlRulesReachTheEngine) {
    auto loaded = config::load_text(R"(
[guardrails]
blocked_domains = ["*.tracker.test"]
default_side_effecting = "deny"
[[policy.tool_rules]]
id = "allow-git"
decision = "allow"
tool = "tools.shell.run_command"
command = "^git "
)",
                                    "c.toml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    auto rules = PolicyRules::with_builtin(loaded->config.policy_table());
    ASSERT_TRUE(rules.ok()) << rules.error().message;
    auto engine = PolicyEngine::create(*rules, nullptr);
    ASSERT_TRUE(engine.ok());
    Request git;
    git.tool_id = "tools.shell.run_command";
    git.target.command = "git log";
    EXPECT_EQ((*engine)->evaluate(git).verdict, Verdict::allow);
    git.target.command = "make";
    EXPECT_EQ((*engine)->evaluate(git).verdict, Verdict::deny);  // default_side_effecting
    Request fetch;
    fetch.tool_id = "tools.web.fetch";
    fetch.read_only = true;
    fetch.target.url = "https://a.tracker.test/x";
    EXPECT_EQ((*engine)->evaluate(fetch).rule_id, "guardrails.blocked_domains[0]");
}

}  // namespace
}  // namespace cowork::kernel::policy
