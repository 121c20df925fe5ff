// env_scrub.hpp — the environment a command gets.
//
// The kernel's own environment holds API keys and session tokens; a command
// run on behalf of a model must see none of it. We start from an allowlist,
// then add the model's extra variables minus anything that looks secret.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::shell {

struct ScrubbedEnv {
    std::map<std::string, std::string> vars;
    std::vector<std::string> dropped;  // names refused because they look secret

    std::vector<std::string> to_envp() const;  // "NAME=value" strings
};

// A portable variable name: [A-Za-z_][A-Za-z0-9_]*.
bool valid_env_name(std::string_view name);

// KEY, TOKEN, SECRET, PASSWORD, CREDENTIAL, AUTH, SESSION, COOKIE, … anywhere
// in the name (case-insensitive), or the COWORK_ prefix.
bool looks_secret(std::string_view name);

// parent: the process environment to take allowlisted values from (PATH,
// LANG, TZ…); home/tmpdir: private directories for this call; extra: the
// model's {"NAME":"value"} (invalid names or non-string values throw
// sdk::invalid).
ScrubbedEnv scrub_environment(const char* const* parent, const std::string& home, const std::string& tmpdir,
                              const nlohmann::json& extra);

}  // namespace cowork::shell
