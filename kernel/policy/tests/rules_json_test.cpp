#include "policy/engine.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::policy {
namespace {

TEST(PolicyRulesJson, RoundTrips) {
    const PolicyRules builtin = PolicyRules::builtin();
    auto parsed = PolicyRules::from_json(builtin.to_json());
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->to_json(), builtin.to_json());
    EXPECT_EQ(parsed->contexts.group.size(), builtin.contexts.group.size());
    EXPECT_FALSE(parsed->guardrails.blocked_commands.empty());
}

TEST(PolicyRulesJson, ErrorsNameTheKey) {
    struct Case {
        const char* json;
        const char* key;
    } cases[] = {
        {R"({"tool_rules": [{"id": "a", "decision": "maybe"}]})", "tool_rules[0].decision"},
        {R"({"tool_rules": [{"id": "a", "decision": "allow"}, {"decision": "deny"}]})", "tool_rules[1].id"},
        {R"({"tool_rules": [{"id": "a"}]})", "tool_rules[0].decision"},
        {R"({"guardrails": {"blocked_commands": ["(unclosed"]}})", "guardrails.blocked_commands[0]"},
        {R"({"guardrails": {"allowed_domains": "example.com"}})", "guardrails.allowed_domains"},
        {R"({"contexts": {"dm": [{"id": "x", "decision": "ask", "command": "[z-a]"}]}})", "contexts.dm[0].command"},
        {R"({"defaults": {"read_only": 1}})", "defaults.read_only"},
        {R"({"contexts": []})", "contexts"},
    };
    for (const auto& c : cases) {
        auto parsed = PolicyRules::from_json(Json::parse(c.json));
        ASSERT_FALSE(parsed.ok()) << c.json;
        EXPECT_EQ(parsed.error().code, "policy.invalid");
        EXPECT_EQ(parsed.error().details.value("key", ""), c.key) << parsed.error().message;
        EXPECT_NE(parsed.error().message.find(c.key), std::string::npos);
    }
}

TEST(PolicyRulesJson, WithBuiltinAddsUserRulesAndKeepsBuiltinGuardrails) {
    auto merged = PolicyRules::with_builtin(Json::parse(R"json({
        "guardrails": {"blocked_commands": ["\\bshutdown\\b"]},
        "contexts": {"group": [{"id": "group-no-shell", "decision": "ask", "tool": "tools.shell.**"}]}})json"));
    ASSERT_TRUE(merged.ok()) << merged.error().message;
    const auto& blocked = merged->guardrails.blocked_commands;
    EXPECT_EQ(blocked.size(), PolicyRules::builtin().guardrails.blocked_commands.size() + 1);
    EXPECT_EQ(blocked.back(), "\\bshutdown\\b");
    // The user's rule with the built-in id replaced it; the other built-in stays.
    ASSERT_EQ(merged->contexts.group.size(), 2u);
    EXPECT_EQ(merged->contexts.group[0].decision, Verdict::ask);
    EXPECT_EQ(merged->contexts.group[1].id, "group-ask-delete");
    EXPECT_EQ(merged->contexts.dm.size(), 1u);
}

TEST(PolicyEngineRules, ReplaceRulesSwapsAndRejectsInvalid) {
    auto engine = PolicyEngine::create(PolicyRules{}, nullptr);
    ASSERT_TRUE(engine.ok());
    Request r;
    r.tool_id = "tools.shell.run_command";
    r.target.command = "sudo ls";
    EXPECT_EQ((*engine)->evaluate(r).verdict, Verdict::ask);
    ASSERT_TRUE((*engine)->replace_rules(PolicyRules::builtin()).ok());
    EXPECT_EQ((*engine)->evaluate(r).verdict, Verdict::deny);
    PolicyRules bad;
    bad.guardrails.blocked_commands = {"("};
    EXPECT_FALSE((*engine)->replace_rules(bad).ok());
    EXPECT_EQ((*engine)->evaluate(r).verdict, Verdict::deny);  // old rules kept
}

}  // namespace
}  // namespace cowork::kernel::policy
