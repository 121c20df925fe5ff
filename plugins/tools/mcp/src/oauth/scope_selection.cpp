#include "oauth/scope_selection.hpp"

#include <algorithm>

namespace cowork::mcp::oauth {
namespace {

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& from) {
    for (const auto& s : from)
        if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
}

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

std::vector<std::string> select_scopes(const ScopeInputs& in) {
    std::vector<std::string> out;
    if (!in.challenge.empty()) add_unique(out, in.challenge);
    else if (!in.configured.empty()) add_unique(out, in.configured);
    else add_unique(out, in.resource_supported);
    // Step-up: a token for the new operation must not lose the old ones' scopes.
    if (!out.empty() || !in.already_granted.empty()) {
        std::vector<std::string> merged = in.already_granted;
        add_unique(merged, out);
        out = std::move(merged);
    }
    if (!out.empty() && in.wants_refresh_token && has(in.server_supported, "offline_access") && !has(out, "offline_access"))
        out.push_back("offline_access");
    return out;
}

}  // namespace cowork::mcp::oauth
