// devices.hpp — paired devices in the plugin's own table
// (p_frontend_control_plane_devices). A device is a named Ed25519 public key
// with a role; revoking it keeps the row (audit) but refuses every connect.
#pragma once

#include <cowork/sdk/host.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cowork::cp {

struct Device {
    std::string id, name, public_key, role;
    std::vector<std::string> scopes;
    long long created_at = 0;
    bool revoked = false;
    nlohmann::json to_json() const;  // never includes anything secret
};

// admin → read,write,approve,admin; operator → read,write,approve; read → read.
std::optional<std::vector<std::string>> scopes_for_role(const std::string& role);

class DeviceStore {
public:
    explicit DeviceStore(sdk::Host host) : host_(host) {}
    void migrate();
    std::optional<Device> find(const std::string& id);
    // Pairs (or re-pairs, un-revoking) the key; returns the stored device.
    Device pair(const std::string& name, const std::string& public_key, const std::string& role);
    std::vector<Device> list();
    bool revoke(const std::string& id);

private:
    std::string table() const { return host_.table_prefix() + "devices"; }
    sdk::Host host_;
};

}  // namespace cowork::cp
