#include "channels/config_rules.hpp"

#include "plugins/json_schema.hpp"

#include <algorithm>
#include <cctype>

namespace cowork::kernel::channels {
namespace {

constexpr const char* kRedacted = "[redacted]";

std::vector<std::string> secret_fields(const Json& schema) {
    std::vector<std::string> out;
    if (!schema.is_object() || !schema.contains("properties") || !schema["properties"].is_object()) return out;
    for (const auto& [name, prop] : schema["properties"].items())
        if (prop.is_object() && prop.value("secret", false)) out.push_back(name);
    return out;
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

// The schema config is validated against: secret fields taken out, since
// their values never sit in config.
Json without_secret_fields(Json schema, const std::vector<std::string>& secrets) {
    for (const auto& name : secrets) schema["properties"].erase(name);
    if (schema.contains("required") && schema["required"].is_array()) {
        Json kept = Json::array();
        for (const auto& r : schema["required"])
            if (!r.is_string() || !contains(secrets, r.get<std::string>())) kept.push_back(r);
        schema["required"] = kept;
    }
    return schema;
}

bool required_by(const Json& schema, const std::string& name) {
    if (!schema.contains("required") || !schema["required"].is_array()) return false;
    return std::any_of(schema["required"].begin(), schema["required"].end(),
                       [&](const Json& r) { return r.is_string() && r.get<std::string>() == name; });
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool sounds_secret(const std::string& key) {
    const std::string k = lower(key);
    for (const char* word : {"token", "secret", "password", "passwd", "apikey", "api_key", "key", "credential", "auth",
                             "cookie", "session"})
        if (k.find(word) != std::string::npos) return true;
    return false;
}

bool looks_like_path_or_secret(const std::string& v) {
    if (v.find('/') != std::string::npos || v.find('\\') != std::string::npos) return true;
    if (!v.empty() && (v[0] == '~' || v[0] == '.')) return true;
    if (v.find('@') != std::string::npos && v.find(':') != std::string::npos) return true;  // user:pass@host
    return false;
}

Json redact(const Json& value, const std::string& key) {
    if (value.is_object()) {
        Json out = Json::object();
        for (const auto& [k, v] : value.items()) out[k] = sounds_secret(k) && !v.is_boolean() ? Json(kRedacted) : redact(v, k);
        return out;
    }
    if (value.is_array()) {
        Json out = Json::array();
        for (const auto& v : value) out.push_back(redact(v, key));
        return out;
    }
    if (value.is_string() && looks_like_path_or_secret(value.get<std::string>())) return kRedacted;
    return value;
}

}  // namespace

bool valid_secret_name(const std::string& name) {
    if (name.empty() || name.size() > 64) return false;
    return std::all_of(name.begin(), name.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

Status check_config(const Json& schema, const Json& config, const std::vector<std::string>& secret_names) {
    if (!config.is_object()) return make_error("channel.invalid", "params.config must be a JSON object");
    const Json effective = schema.is_object() ? schema : Json::object();
    const auto secrets = secret_fields(effective);
    for (const auto& name : secrets) {
        if (config.contains(name))
            return make_error("channel.invalid", "params.config/" + name + " is a secret: pass it as params.secrets." + name +
                                                     " so it is stored encrypted");
        if (required_by(effective, name) && !contains(secret_names, name))
            return make_error("channel.invalid", "params.secrets." + name + " is required by this channel plugin");
    }
    auto compiled = plugins::JsonSchema::compile(without_secret_fields(effective, secrets));
    if (!compiled) return make_error("channel.invalid", "the plugin's configSchema is unusable: " + compiled.error().message);
    const auto errors = compiled->validate(config);
    if (errors.empty()) return ok_status();
    std::string message;
    for (size_t i = 0; i < errors.size() && i < 5; ++i)
        message += (i ? "; " : "") + std::string("params.config") + errors[i].pointer + ": " + errors[i].message;
    return make_error("channel.invalid", message, {{"pointer", errors.front().pointer}});
}

Json redact_config_for_readers(const Json& config) { return redact(config, ""); }

std::string redact_detail_for_readers(const std::string& detail) {
    std::string out, word;
    auto flush = [&] {
        out += word.find('/') != std::string::npos || word.find('\\') != std::string::npos ? "[path]" : word;
        word.clear();
    };
    for (char c : detail) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '(' || c == ')' || c == ',' || c == ';') {
            flush();
            out += c;
        } else {
            word += c;
        }
    }
    flush();
    return out;
}

}  // namespace cowork::kernel::channels
