#include "env_scrub.hpp"

#include <cowork/sdk/error.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace cowork::shell {

namespace {

// Taken from the parent when present: harmless and needed for sane tools.
constexpr std::array kInherited{"PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES",
                                "LC_NUMERIC", "LC_TIME", "LC_COLLATE", "TZ"};

constexpr std::array kSecretWords{"KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "PASSPHRASE",
                                  "CREDENTIAL", "AUTH", "SESSION", "COOKIE", "PRIVATE"};

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

bool valid_env_name(std::string_view name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return c == '_' || std::isalnum(static_cast<unsigned char>(c)); });
}

bool looks_secret(std::string_view name) {
    const std::string u = upper(name);
    if (u.rfind("COWORK", 0) == 0) return true;
    return std::any_of(kSecretWords.begin(), kSecretWords.end(),
                       [&](const char* word) { return u.find(word) != std::string::npos; });
}

std::vector<std::string> ScrubbedEnv::to_envp() const {
    std::vector<std::string> out;
    out.reserve(vars.size());
    for (const auto& [k, v] : vars) out.push_back(k + "=" + v);
    return out;
}

ScrubbedEnv scrub_environment(const char* const* parent, const std::string& home, const std::string& tmpdir,
                              const nlohmann::json& extra) {
    ScrubbedEnv env;
    for (const char* const* p = parent; p && *p; ++p) {
        const std::string_view entry(*p);
        const auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        const std::string name(entry.substr(0, eq));
        if (std::find(kInherited.begin(), kInherited.end(), name) != kInherited.end())
            env.vars[name] = std::string(entry.substr(eq + 1));
    }
    env.vars.try_emplace("PATH", kDefaultPath);
    env.vars["HOME"] = home;
    env.vars["TMPDIR"] = tmpdir;
    env.vars["TERM"] = "dumb";  // no TTY: ask tools for plain output
    env.vars["SHELL"] = "/bin/sh";
    env.vars["USER"] = env.vars["LOGNAME"] = "cowork";

    if (extra.is_null()) return env;
    if (!extra.is_object()) throw sdk::invalid("run_command: 'env' must be an object of strings");
    for (const auto& [name, value] : extra.items()) {
        if (!valid_env_name(name)) throw sdk::invalid("run_command: invalid environment variable name '" + name + "'");
        if (!value.is_string()) throw sdk::invalid("run_command: env." + name + " must be a string");
        const auto text = value.get<std::string>();
        if (text.find('\0') != std::string::npos) throw sdk::invalid("run_command: env." + name + " contains NUL");
        if (looks_secret(name)) {
            env.dropped.push_back(name);
            continue;
        }
        env.vars[name] = text;
    }
    return env;
}

}  // namespace cowork::shell
