// Config → JSON, optionally sanitised for display (`cowork config show`,
// the API's config view): secret values become "[set]" / "[unset]".
#include "config/config.hpp"

#include "config/schema.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace cowork::kernel::config {
namespace {

// "clientSecret" / "bot_token" / "API-Key" → lower-case words.
std::vector<std::string> words(std::string_view name) {
    std::vector<std::string> out(1);
    for (size_t i = 0; i < name.size(); ++i) {
        const unsigned char c = name[i];
        const bool separator = c == '_' || c == '-' || c == '.' || c == ' ';
        const bool camel_break = std::isupper(c) && i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
        if ((separator || camel_break) && !out.back().empty()) out.emplace_back();
        if (!separator) out.back() += static_cast<char>(std::tolower(c));
    }
    if (out.back().empty()) out.pop_back();
    return out;
}

bool is_unset(const Json& v) {
    return v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()) ||
           (v.is_object() && v.empty());
}

Json mask(const Json& v) { return is_unset(v) ? "[unset]" : "[set]"; }

// Masks every value under a secret-looking key, recursively; `extra` names
// more keys to mask at the top level (a plugin's secret fields).
Json sanitised(const Json& j, const std::set<std::string>& extra = {}) {
    if (j.is_array()) {
        Json out = Json::array();
        for (const auto& v : j) out.push_back(sanitised(v));
        return out;
    }
    if (!j.is_object()) return j;
    Json out = Json::object();
    for (const auto& [k, v] : j.items())
        out[k] = (is_secret_key_name(k) || extra.count(k)) ? mask(v) : sanitised(v);
    return out;
}

}  // namespace

bool is_secret_key_name(std::string_view name) {
    static const std::set<std::string> secret_words{"key", "token", "secret", "password", "passphrase",
                                                    "apikey", "credential", "credentials", "passwd"};
    const auto w = words(name);
    return !w.empty() && secret_words.count(w.back()) > 0;
}

std::vector<std::string> secret_fields_from_schema(const Json& config_schema) {
    std::vector<std::string> out;
    if (!config_schema.is_object() || !config_schema.contains("properties")) return out;
    const Json& props = config_schema["properties"];
    if (!props.is_object()) return out;
    for (const auto& [name, prop] : props.items())
        if (prop.is_object() && prop.value("secret", false)) out.push_back(name);
    return out;
}

Json to_json(const Config& config, Sanitize sanitize, const SecretFields& secret_fields) {
    Json j = Json::object();
    for (const auto& f : detail::fields()) j[f.section][f.key] = f.get(config);
    j["plugins"] = Json::object();
    for (const auto& [id, table] : config.plugins) {
        if (sanitize == Sanitize::no) {
            j["plugins"][id] = table;
            continue;
        }
        std::set<std::string> extra;
        if (auto it = secret_fields.find(id); it != secret_fields.end()) extra.insert(it->second.begin(), it->second.end());
        j["plugins"][id] = sanitised(table, extra);
    }
    j["providers"] = Json::object();
    for (const auto& [name, table] : config.providers)
        j["providers"][name] = sanitize == Sanitize::yes ? sanitised(table) : table;
    j["policy"] = config.policy;
    return j;
}

Json Config::policy_table() const {
    Json table = policy.is_object() ? policy : Json::object();
    table["guardrails"] = {{"blocked_commands", guardrails.blocked_commands},
                           {"allowed_domains", guardrails.allowed_domains},
                           {"blocked_domains", guardrails.blocked_domains}};
    table["defaults"] = {{"side_effecting", guardrails.default_side_effecting},
                         {"read_only", guardrails.default_read_only},
                         {"plugin_permission", guardrails.default_plugin_permission}};
    return table;
}

}  // namespace cowork::kernel::config
