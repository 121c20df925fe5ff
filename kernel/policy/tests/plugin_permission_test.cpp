#include "policy/engine.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::policy {
namespace {

plugins::Permissions declared() {
    plugins::Permissions p;
    p.net_connect = {"api.telegram.org", "*.slack.com:443"};
    p.fs_read = {"/srv/data"};
    p.fs_write = {"/srv/data/out"};
    p.process_exec = false;
    p.secret_read = {"channel.telegram.bot_token"};
    return p;
}

std::unique_ptr<PolicyEngine> engine_with(const char* json) {
    auto rules = PolicyRules::from_json(Json::parse(json));
    EXPECT_TRUE(rules.ok());
    auto engine = PolicyEngine::create(rules.value(), nullptr);
    EXPECT_TRUE(engine.ok());
    return std::move(engine).value();
}

Decision check(PolicyEngine& e, PluginPermission perm, std::string target) {
    return e.check_plugin_permission({"channel.telegram", perm, std::move(target)}, declared());
}

TEST(PluginPermission, DeclaredAndAllowedIsGranted) {
    auto e = engine_with("{}");
    EXPECT_EQ(check(*e, PluginPermission::net_connect, "api.telegram.org").verdict, Verdict::allow);
    EXPECT_EQ(check(*e, PluginPermission::net_connect, "hooks.slack.com:443").verdict, Verdict::allow);
    EXPECT_EQ(check(*e, PluginPermission::fs_read, "/srv/data/in/x.txt").verdict, Verdict::allow);
    EXPECT_EQ(check(*e, PluginPermission::secret_read, "channel.telegram.bot_token").verdict, Verdict::allow);
}

TEST(PluginPermission, UndeclaredIsDeniedAndNamed) {
    auto e = engine_with("{}");
    struct Case {
        PluginPermission perm;
        const char* target;
        const char* rule;
    } cases[] = {
        {PluginPermission::net_connect, "evil.test", "manifest.permissions.net:connect"},
        {PluginPermission::net_connect, "hooks.slack.com:80", "manifest.permissions.net:connect"},
        {PluginPermission::fs_read, "/srv/database", "manifest.permissions.fs:read"},
        {PluginPermission::fs_write, "/srv/data/in", "manifest.permissions.fs:write"},
        {PluginPermission::process_exec, "ls", "manifest.permissions.process:exec"},
        {PluginPermission::secret_read, "llm.openai.api_key", "manifest.permissions.secret:read"},
    };
    for (const auto& c : cases) {
        const Decision d = check(*e, c.perm, c.target);
        EXPECT_EQ(d.verdict, Verdict::deny) << c.target;
        EXPECT_EQ(d.layer, Layer::manifest) << c.target;
        EXPECT_EQ(d.rule_id, c.rule);
        EXPECT_NE(d.reason.find(to_string(c.perm)), std::string::npos) << d.reason;
        EXPECT_NE(d.reason.find("channel.telegram"), std::string::npos) << d.reason;
    }
}

TEST(PluginPermission, DeclaredButPolicyDenies) {
    auto e = engine_with(R"({"guardrails": {"blocked_domains": ["api.telegram.org"]},
        "tool_rules": [{"id": "no-secrets-for-telegram", "decision": "deny", "plugin": "channel.*", "permission": "secret:read"},
                       {"id": "ask-writes", "decision": "ask", "permission": "fs:write"}]})");
    const Decision net = check(*e, PluginPermission::net_connect, "api.telegram.org");
    EXPECT_EQ(net.verdict, Verdict::deny);
    EXPECT_EQ(net.layer, Layer::guardrails);
    const Decision secret = check(*e, PluginPermission::secret_read, "channel.telegram.bot_token");
    EXPECT_EQ(secret.verdict, Verdict::deny);
    EXPECT_EQ(secret.rule_id, "tool_rules.no-secrets-for-telegram");
    EXPECT_EQ(check(*e, PluginPermission::fs_write, "/srv/data/out/a").verdict, Verdict::ask);
    EXPECT_EQ(check(*e, PluginPermission::fs_read, "/srv/data/a").verdict, Verdict::allow);
}

TEST(PluginPermission, DefaultIsConfigurable) {
    auto e = engine_with(R"({"defaults": {"plugin_permission": "ask"}})");
    const Decision d = check(*e, PluginPermission::net_connect, "api.telegram.org");
    EXPECT_EQ(d.verdict, Verdict::ask);
    EXPECT_EQ(d.rule_id, "defaults.plugin_permission");
}

// Writing a secret is its own permission: declaring secret:read does not grant
// it, and a policy rule can refuse writes while reads stay allowed.
TEST(PluginPermission, SecretWriteIsSeparateFromRead) {
    plugins::Permissions p = declared();
    p.secret_write = {"mcp.*.oauth.*"};
    auto e = engine_with(R"({"tool_rules": [{"id": "no-writes", "decision": "deny", "plugin": "tool.other",
                                            "permission": "secret:write"}]})");
    const Decision write = e->check_plugin_permission({"tool.mcp", PluginPermission::secret_write, "mcp.files.oauth.grant"}, p);
    EXPECT_EQ(write.verdict, Verdict::allow);
    const Decision read_only =
        e->check_plugin_permission({"tool.mcp", PluginPermission::secret_write, "channel.telegram.bot_token"}, p);
    EXPECT_EQ(read_only.verdict, Verdict::deny);
    EXPECT_EQ(read_only.rule_id, "manifest.permissions.secret:write");
    EXPECT_NE(read_only.reason.find("secret:write"), std::string::npos) << read_only.reason;
    const Decision refused = e->check_plugin_permission({"tool.other", PluginPermission::secret_write, "mcp.x.oauth.grant"}, p);
    EXPECT_EQ(refused.verdict, Verdict::deny);
    EXPECT_EQ(refused.rule_id, "tool_rules.no-writes");
    EXPECT_EQ(e->check_plugin_permission({"tool.other", PluginPermission::secret_read, "channel.telegram.bot_token"}, p).verdict,
              Verdict::allow);
}

}  // namespace
}  // namespace cowork::kernel::policy
