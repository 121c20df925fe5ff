// token_store.hpp — where a server's OAuth grant (tokens, and the client
// they were issued to) is kept. In the plugin: the kernel's encrypted
// secrets service under `mcp.<server>.oauth.grant`, read through the SDK's
// secrets API and written (or deleted) through its secret_put/secret_delete
// (the manifest's secret:write: mcp.*.oauth.*), so a login survives a
// restart. Values never reach logs, events or the config.
#pragma once

#include "oauth/token_client.hpp"

#include <cowork/sdk/host.hpp>

#include <mutex>
#include <optional>

namespace cowork::mcp::oauth {

struct StoredGrant {
    TokenSet tokens;
    ClientIdentity client;
    std::string token_endpoint;
    std::string resource;

    Json to_json() const;
    static std::optional<StoredGrant> from_json(const Json& j);
};

class TokenStore {
public:
    virtual ~TokenStore() = default;
    virtual std::optional<StoredGrant> load() = 0;
    // Returns whether the grant outlives this process (false: kept in memory only).
    virtual bool save(const StoredGrant& grant) = 0;
    virtual void clear() = 0;
};

// For the conformance client and tests: this process only.
class MemoryTokenStore final : public TokenStore {
public:
    std::optional<StoredGrant> load() override;
    bool save(const StoredGrant& grant) override;
    void clear() override;

private:
    std::mutex mutex_;
    std::optional<StoredGrant> grant_;
};

// The secrets service. When the kernel refuses the write (an older kernel
// without the put slot, or a policy rule denying secret:write), the grant is
// kept in this process's memory and save() says so.
class SecretsTokenStore final : public TokenStore {
public:
    SecretsTokenStore(sdk::Host host, const std::string& server_name);
    std::optional<StoredGrant> load() override;
    bool save(const StoredGrant& grant) override;
    void clear() override;

    static std::string key_for(const std::string& server_name) { return "mcp." + server_name + ".oauth.grant"; }

private:
    sdk::Host host_;
    std::string key_;
};

}  // namespace cowork::mcp::oauth
