#include "api/caller.hpp"

namespace cowork::kernel::api {

std::vector<std::string> scopes_for_role(const std::string& role) {
    if (role == "admin") return {kScopeRead, kScopeWrite, kScopeApprove, kScopeAdmin};
    if (role == "operator") return {kScopeRead, kScopeWrite, kScopeApprove};
    if (role == "read") return {kScopeRead};
    return {};
}

Result<Caller> Caller::from_json(const Json& j) {
    if (!j.is_object()) return make_error("INVALID_PARAMS", "caller must be an object {id, role, scopes}");
    Caller c;
    c.id = j.value("id", "");
    c.role = j.value("role", "");
    c.transport = j.value("transport", "");
    if (c.id.empty()) return make_error("INVALID_PARAMS", "caller.id is required");
    const auto allowed = scopes_for_role(c.role);
    if (allowed.empty()) return make_error("INVALID_PARAMS", "caller.role must be admin, operator or read");
    // Scopes may narrow a role, never widen it.
    if (j.contains("scopes") && j["scopes"].is_array()) {
        for (const auto& s : j["scopes"]) {
            if (!s.is_string()) continue;
            const auto scope = s.get<std::string>();
            if (std::find(allowed.begin(), allowed.end(), scope) != allowed.end()) c.scopes.push_back(scope);
        }
    } else {
        c.scopes = allowed;
    }
    return c;
}

Caller Caller::system(std::string transport) {
    return Caller{"kernel", "admin", scopes_for_role("admin"), std::move(transport)};
}

}  // namespace cowork::kernel::api
