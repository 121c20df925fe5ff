#include "oauth/token_store.hpp"

#include <map>

namespace cowork::mcp::oauth {
namespace {

// Grants the secrets service would not take, by secret name: shared by every
// connection of the process, so a reconnect finds the login's tokens.
std::mutex& memory_mutex() {
    static std::mutex m;
    return m;
}
std::map<std::string, StoredGrant>& memory_grants() {
    static std::map<std::string, StoredGrant> grants;
    return grants;
}

}  // namespace

Json StoredGrant::to_json() const {
    return {{"access_token", tokens.access_token}, {"refresh_token", tokens.refresh_token}, {"scope", tokens.scope},
            {"expires_at", tokens.expires_at},     {"client_id", client.client_id},         {"client_secret", client.client_secret},
            {"auth_method", client.auth_method},   {"client_how", client.how},              {"token_endpoint", token_endpoint},
            {"resource", resource}};
}

std::optional<StoredGrant> StoredGrant::from_json(const Json& j) {
    if (!j.is_object() || !j.contains("access_token") || !j["access_token"].is_string()) return std::nullopt;
    StoredGrant g;
    g.tokens.access_token = j.value("access_token", "");
    g.tokens.refresh_token = j.value("refresh_token", "");
    g.tokens.scope = j.value("scope", "");
    g.tokens.expires_at = j.value("expires_at", 0LL);
    g.client.client_id = j.value("client_id", "");
    g.client.client_secret = j.value("client_secret", "");
    g.client.auth_method = j.value("auth_method", "none");
    g.client.how = j.value("client_how", "");
    g.token_endpoint = j.value("token_endpoint", "");
    g.resource = j.value("resource", "");
    return g;
}

std::optional<StoredGrant> MemoryTokenStore::load() {
    std::lock_guard lock(mutex_);
    return grant_;
}

bool MemoryTokenStore::save(const StoredGrant& grant) {
    std::lock_guard lock(mutex_);
    grant_ = grant;
    return false;
}

void MemoryTokenStore::clear() {
    std::lock_guard lock(mutex_);
    grant_.reset();
}

SecretsTokenStore::SecretsTokenStore(sdk::Host host, const std::string& server_name)
    : host_(host), key_(key_for(server_name)) {}

std::optional<StoredGrant> SecretsTokenStore::load() {
    {
        std::lock_guard lock(memory_mutex());
        if (auto it = memory_grants().find(key_); it != memory_grants().end()) return it->second;
    }
    try {
        const std::string value = host_.secret(key_);
        if (value.empty()) return std::nullopt;
        return StoredGrant::from_json(Json::parse(value, nullptr, false));
    } catch (const std::exception&) {
        return std::nullopt;  // not stored yet (or secrets unavailable): the server needs a login
    }
}

bool SecretsTokenStore::save(const StoredGrant& grant) {
    bool persisted = false;
    try {
        host_.secret_put(key_, grant.to_json().dump());
        persisted = true;
    } catch (const std::exception& e) {
        // Names the permission or the policy rule; never the grant itself.
        host_.warn("cannot store the OAuth grant as secret '" + key_ + "': " + e.what() +
                   "; it is kept in memory until coworkd restarts");
    }
    std::lock_guard lock(memory_mutex());
    if (persisted) memory_grants().erase(key_);
    else memory_grants()[key_] = grant;
    return persisted;
}

void SecretsTokenStore::clear() {
    {
        std::lock_guard lock(memory_mutex());
        memory_grants().erase(key_);
    }
    try {
        host_.secret_delete(key_);
    } catch (const std::exception& e) {
        host_.warn("cannot delete the OAuth grant secret '" + key_ + "': " + e.what());
    }
}

}  // namespace cowork::mcp::oauth
