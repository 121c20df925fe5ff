#include "hooks_config.hpp"

#include <cowork/sdk/error.hpp>
#include <cowork/sdk/net/address_class.hpp>

#include <algorithm>
#include <set>

namespace cowork::hooks {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

const std::string kWhere = "[plugins.\"frontend.hooks\"] ";

std::string str(const Json& j, const char* key, const std::string& where, const std::string& fallback = "") {
    if (!j.contains(key) || j[key].is_null()) return fallback;
    if (!j[key].is_string()) throw sdk::invalid(where + key + " must be a string");
    return j[key].get<std::string>();
}

long long integer(const Json& j, const char* key, long long fallback, long long min, long long max) {
    if (!j.contains(key)) return fallback;
    if (!j[key].is_number_integer()) throw sdk::invalid(kWhere + key + " must be an integer");
    const long long v = j[key].get<long long>();
    if (v < min || v > max)
        throw sdk::invalid(kWhere + key + " is " + std::to_string(v) + "; allowed " + std::to_string(min) + "-" +
                           std::to_string(max));
    return v;
}

void require_secret_name(const std::string& name, const std::string& what) {
    if (name.rfind(kSecretPrefix, 0) != 0 || name.size() == std::string(kSecretPrefix).size())
        throw sdk::invalid(what + " = \"" + name + "\": secret names the hooks plugin reads must start with \"" +
                           kSecretPrefix + "\" (store it with `cowork secrets set " + kSecretPrefix + "…`)");
}

// "/hooks" stays, "hooks/" becomes "/hooks"; "/" alone is refused so hook
// paths never shadow /health.
std::string normalize_base(std::string p) {
    if (p.empty() || p[0] != '/') p = "/" + p;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    if (p == "/") throw sdk::invalid(kWhere + "base_path must not be \"/\"; use e.g. \"/hooks\"");
    return p;
}

bool path_chars_ok(const std::string& p) {
    return std::all_of(p.begin(), p.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    });
}

HmacSettings parse_hmac(const Json& h, const std::string& where) {
    if (!h.is_object()) throw sdk::invalid(where + "hmac must be a table {secret, scheme, header?, …}");
    HmacSettings s;
    const std::string scheme = str(h, "scheme", where + "hmac.", "github");
    if (scheme == "github") {
        s.scheme = HmacScheme::github;
        s.header = "x-hub-signature-256";
    } else if (scheme == "svix") {
        s.scheme = HmacScheme::svix;
        s.header = "svix-signature";
        s.timestamp_header = "svix-timestamp";
    } else if (scheme == "plain") {
        s.scheme = HmacScheme::plain;
        s.header = "x-signature";
    } else {
        throw sdk::invalid(where + "hmac.scheme is \"" + scheme + "\"; use \"github\", \"svix\" or \"plain\"");
    }
    s.secret = str(h, "secret", where + "hmac.");
    if (s.secret.empty()) throw sdk::invalid(where + "hmac.secret (the name of a stored secret) is required");
    require_secret_name(s.secret, where + "hmac.secret");
    s.header = lower(str(h, "header", where + "hmac.", s.header));
    s.timestamp_header = lower(str(h, "timestampHeader", where + "hmac.", s.timestamp_header));
    if (h.contains("toleranceSeconds")) {
        if (!h["toleranceSeconds"].is_number_integer() || h["toleranceSeconds"].get<long long>() < 1 ||
            h["toleranceSeconds"].get<long long>() > 86400)
            throw sdk::invalid(where + "hmac.toleranceSeconds must be an integer 1-86400");
        s.tolerance = std::chrono::seconds(h["toleranceSeconds"].get<long long>());
    }
    return s;
}

Mapping parse_mapping(const Json& m, size_t index, const std::string& base) {
    const std::string where = kWhere + "mappings[" + std::to_string(index) + "].";
    if (!m.is_object()) throw sdk::invalid(where.substr(0, where.size() - 1) + " must be a table");
    Mapping out;
    std::string path = str(m, "path", where);
    if (path.empty()) throw sdk::invalid(where + "path is required (e.g. \"github\" for " + base + "/github)");
    if (path[0] == '/') path.erase(0, 1);
    if (path.empty() || !path_chars_ok(path) || path.find("..") != std::string::npos)
        throw sdk::invalid(where + "path \"" + path + "\" may use only letters, digits and / - _ . ~");
    out.path = base + "/" + path;
    const std::string action = str(m, "action", where);
    if (action == "agent") out.action = Action::agent;
    else if (action == "task_message") out.action = Action::task_message;
    else if (action == "wake") out.action = Action::wake;
    else throw sdk::invalid(where + "action is \"" + action + "\"; use \"agent\", \"task_message\" or \"wake\"");
    out.token = str(m, "token", where);
    if (!out.token.empty()) require_secret_name(out.token, where + "token");
    out.message_template = str(m, "messageTemplate", where);
    if (out.message_template.empty())
        throw sdk::invalid(where + "messageTemplate is required, e.g. \"New issue: {{issue.title}}\"");
    out.name_template = str(m, "nameTemplate", where);
    out.session_key_template = str(m, "sessionKeyTemplate", where);
    out.task_id_template = str(m, "taskIdTemplate", where);
    out.workspace = str(m, "workspace", where);
    if (out.action == Action::task_message && out.task_id_template.empty())
        throw sdk::invalid(where + "taskIdTemplate is required for action \"task_message\"");
    if (m.contains("hmac")) out.hmac = parse_hmac(m["hmac"], where);
    return out;
}

}  // namespace

const char* action_name(Action a) {
    switch (a) {
    case Action::agent: return "agent";
    case Action::task_message: return "task_message";
    case Action::wake: return "wake";
    }
    return "?";
}

HooksConfig parse_config(const Json& c) {
    HooksConfig s;
    s.bind = str(c, "bind", kWhere, s.bind);
    s.port = static_cast<unsigned short>(integer(c, "port", s.port, 0, 65535));
    s.base_path = normalize_base(str(c, "base_path", kWhere, s.base_path));
    s.token_secret = str(c, "token_secret", kWhere, s.token_secret);
    require_secret_name(s.token_secret, kWhere + "token_secret");
    s.max_body_bytes = static_cast<size_t>(integer(c, "max_body_bytes", static_cast<long long>(s.max_body_bytes), 1024, 16 << 20));
    s.request_timeout = std::chrono::milliseconds(integer(c, "request_timeout_ms", 10000, 100, 600000));
    s.max_connections = static_cast<size_t>(integer(c, "max_connections", 256, 1, 100000));
    s.max_failed_auths = static_cast<int>(integer(c, "max_failed_auths", 5, 1, 1000000));
    s.ban = std::chrono::seconds(integer(c, "ban_s", 300, 1, 86400 * 30));
    s.workspace = str(c, "workspace", kWhere);
    const std::string host = s.bind == "localhost" ? "127.0.0.1" : s.bind;
    if (sdk::net::classify_address(host) != sdk::net::AddressClass::loopback)
        throw sdk::denied("REFUSING TO START: bind = \"" + s.bind +
                          "\" is not a loopback address. The hooks listener serves plain HTTP only (no TLS in this "
                          "build); keep bind = \"127.0.0.1\" and put a TLS-terminating reverse proxy or tunnel in front.");
    if (c.contains("mappings")) {
        if (!c["mappings"].is_array())
            throw sdk::invalid(kWhere + "mappings must be an array of tables ([[plugins.\"frontend.hooks\".mappings]])");
        std::set<std::string> seen;
        for (size_t i = 0; i < c["mappings"].size(); ++i) {
            Mapping m = parse_mapping(c["mappings"][i], i, s.base_path);
            if (!seen.insert(m.path).second)
                throw sdk::invalid(kWhere + "mappings[" + std::to_string(i) + "].path " + m.path + " is mapped twice");
            s.mappings.push_back(std::move(m));
        }
    }
    return s;
}

}  // namespace cowork::hooks
