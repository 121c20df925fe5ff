#include "policy/rules.hpp"

#include <algorithm>
#include <regex>

namespace cowork::kernel::policy {
namespace {

// Thrown inside this file only; from_json turns it into an Error.
struct BadKey {
    std::string key;
    std::string expected;
};

std::string string_at(const Json& obj, const char* name, const std::string& where, std::string fallback = {}) {
    if (!obj.contains(name)) return fallback;
    const Json& v = obj.at(name);
    if (!v.is_string()) throw BadKey{where + "." + name, "a string"};
    return v.get<std::string>();
}

std::vector<std::string> strings_at(const Json& obj, const char* name, const std::string& where) {
    std::vector<std::string> out;
    if (!obj.contains(name)) return out;
    const Json& v = obj.at(name);
    if (!v.is_array()) throw BadKey{where + "." + name, "an array of strings"};
    for (const auto& item : v) {
        if (!item.is_string()) throw BadKey{where + "." + name, "an array of strings"};
        out.push_back(item.get<std::string>());
    }
    return out;
}

Verdict verdict_at(const Json& obj, const char* name, const std::string& where, Verdict fallback) {
    if (!obj.contains(name)) return fallback;
    const auto text = string_at(obj, name, where);
    if (auto v = parse_verdict(text)) return *v;
    throw BadKey{where + "." + name, "one of \"allow\", \"ask\", \"deny\""};
}

void check_regex(const std::string& pattern, const std::string& where) {
    try {
        std::regex re(pattern, std::regex::ECMAScript | std::regex::icase);
    } catch (const std::regex_error& e) {
        throw BadKey{where, std::string("a valid ECMAScript regular expression (") + e.what() + ")"};
    }
}

const Json& object_or_empty(const Json& parent, const char* name, const std::string& where) {
    static const Json empty = Json::object();
    if (!parent.contains(name)) return empty;
    const Json& v = parent.at(name);
    if (!v.is_object()) throw BadKey{where.empty() ? name : where + "." + name, "a table"};
    return v;
}

Rule rule_from(const Json& j, const std::string& where) {
    if (!j.is_object()) throw BadKey{where, "a table with at least \"id\" and \"decision\""};
    Rule r;
    r.id = string_at(j, "id", where);
    if (r.id.empty()) throw BadKey{where + ".id", "a non-empty rule id"};
    if (!j.contains("decision")) throw BadKey{where + ".decision", "one of \"allow\", \"ask\", \"deny\""};
    r.decision = verdict_at(j, "decision", where, Verdict::ask);
    r.tool = string_at(j, "tool", where, "**");
    r.plugin = string_at(j, "plugin", where);
    r.permission = string_at(j, "permission", where);
    r.path = string_at(j, "path", where);
    r.command = string_at(j, "command", where);
    if (!r.command.empty()) check_regex(r.command, where + ".command");
    r.host = string_at(j, "host", where);
    r.reason = string_at(j, "reason", where);
    return r;
}

std::vector<Rule> rules_from(const Json& parent, const char* name, const std::string& where) {
    std::vector<Rule> out;
    if (!parent.contains(name)) return out;
    const Json& list = parent.at(name);
    const std::string key = where.empty() ? name : where + "." + name;
    if (!list.is_array()) throw BadKey{key, "an array of rule tables"};
    for (size_t i = 0; i < list.size(); ++i) out.push_back(rule_from(list[i], key + "[" + std::to_string(i) + "]"));
    return out;
}

Json rule_to_json(const Rule& r) {
    Json j{{"id", r.id}, {"decision", to_string(r.decision)}, {"tool", r.tool}};
    if (!r.plugin.empty()) j["plugin"] = r.plugin;
    if (!r.permission.empty()) j["permission"] = r.permission;
    if (!r.path.empty()) j["path"] = r.path;
    if (!r.command.empty()) j["command"] = r.command;
    if (!r.host.empty()) j["host"] = r.host;
    if (!r.reason.empty()) j["reason"] = r.reason;
    return j;
}

Json rules_to_json(const std::vector<Rule>& rules) {
    Json out = Json::array();
    for (const auto& r : rules) out.push_back(rule_to_json(r));
    return out;
}

}  // namespace

PolicyRules PolicyRules::builtin() {
    PolicyRules p;
    // Commands nobody should run unattended. Word boundaries keep "sudoku" usable.
    p.guardrails.blocked_commands = {
        R"(\bsudo\b)",           R"(\brm\s+-[a-z]*r[a-z]*f?[a-z]*\s+(/|~|/\*|\*)(\s|$))",
        R"(\bmkfs(\.\w+)?\b)",   R"(\bdd\s+if=)",
        R"(:\(\)\s*\{\s*:\|:&\s*\};:)", R"(\b(curl|wget)\b[^|]*\|\s*(ba|z)?sh\b)",
        R"(\bchmod\s+(-R\s+)?777\b)", R"(>\s*/dev/sd[a-z])",
        R"(\bmv\s+/\*)",
    };
    p.contexts.group.push_back(Rule{"group-no-shell", Verdict::deny, "tools.shell.**", "", "", "", "", "",
                                    "shell commands are not run for group chats"});
    p.contexts.group.push_back(Rule{"group-ask-delete", Verdict::ask, "**.delete*", "", "", "", "", "",
                                    "deleting from a group chat needs the operator's approval"});
    p.contexts.dm.push_back(Rule{"dm-ask-delete", Verdict::ask, "**.delete*", "", "", "", "", "",
                                 "deleting from a direct message needs the operator's approval"});
    return p;
}

Result<PolicyRules> PolicyRules::from_json(const Json& table) {
    if (!table.is_object())
        return make_error("policy.invalid", "policy rules must be a table (JSON object)");
    try {
        PolicyRules p;
        const Json& g = object_or_empty(table, "guardrails", "");
        p.guardrails.blocked_commands = strings_at(g, "blocked_commands", "guardrails");
        for (size_t i = 0; i < p.guardrails.blocked_commands.size(); ++i)
            check_regex(p.guardrails.blocked_commands[i], "guardrails.blocked_commands[" + std::to_string(i) + "]");
        p.guardrails.allowed_domains = strings_at(g, "allowed_domains", "guardrails");
        p.guardrails.blocked_domains = strings_at(g, "blocked_domains", "guardrails");

        const Json& d = object_or_empty(table, "defaults", "");
        p.defaults.side_effecting = verdict_at(d, "side_effecting", "defaults", Verdict::ask);
        p.defaults.read_only = verdict_at(d, "read_only", "defaults", Verdict::allow);
        p.defaults.plugin_permission = verdict_at(d, "plugin_permission", "defaults", Verdict::allow);

        const Json& c = object_or_empty(table, "contexts", "");
        p.contexts.operator_ = rules_from(c, "operator", "contexts");
        p.contexts.dm = rules_from(c, "dm", "contexts");
        p.contexts.group = rules_from(c, "group", "contexts");
        p.contexts.mcp = rules_from(c, "mcp", "contexts");
        p.tool_rules = rules_from(table, "tool_rules", "");
        return p;
    } catch (const BadKey& bad) {
        return make_error("policy.invalid", "policy key '" + bad.key + "' must be " + bad.expected,
                          {{"key", bad.key}, {"expected", bad.expected}});
    }
}

Result<PolicyRules> PolicyRules::with_builtin(const Json& table) {
    auto parsed = from_json(table);
    if (!parsed) return parsed;
    PolicyRules merged = std::move(parsed).value();
    const PolicyRules base = builtin();
    auto& blocked = merged.guardrails.blocked_commands;
    blocked.insert(blocked.begin(), base.guardrails.blocked_commands.begin(), base.guardrails.blocked_commands.end());
    auto add_missing = [](std::vector<Rule>& user, const std::vector<Rule>& defaults) {
        for (const auto& rule : defaults) {
            const bool replaced = std::any_of(user.begin(), user.end(), [&](const Rule& r) { return r.id == rule.id; });
            if (!replaced) user.push_back(rule);
        }
    };
    add_missing(merged.contexts.operator_, base.contexts.operator_);
    add_missing(merged.contexts.dm, base.contexts.dm);
    add_missing(merged.contexts.group, base.contexts.group);
    add_missing(merged.contexts.mcp, base.contexts.mcp);
    return merged;
}

Json PolicyRules::to_json() const {
    return {{"guardrails",
             {{"blocked_commands", guardrails.blocked_commands},
              {"allowed_domains", guardrails.allowed_domains},
              {"blocked_domains", guardrails.blocked_domains}}},
            {"defaults",
             {{"side_effecting", to_string(defaults.side_effecting)},
              {"read_only", to_string(defaults.read_only)},
              {"plugin_permission", to_string(defaults.plugin_permission)}}},
            {"contexts",
             {{"operator", rules_to_json(contexts.operator_)},
              {"dm", rules_to_json(contexts.dm)},
              {"group", rules_to_json(contexts.group)},
              {"mcp", rules_to_json(contexts.mcp)}}},
            {"tool_rules", rules_to_json(tool_rules)}};
}

}  // namespace cowork::kernel::policy
