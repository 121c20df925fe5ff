#include "devices.hpp"

#include "crypto.hpp"

#include <chrono>

namespace cowork::cp {
namespace {
using Json = nlohmann::json;

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Device from_row(const Json& r) {
    Device d;
    d.id = r.value("id", "");
    d.name = r.value("name", "");
    d.public_key = r.value("public_key", "");
    d.role = r.value("role", "read");
    d.scopes = scopes_for_role(d.role).value_or(std::vector<std::string>{});
    d.created_at = r.value("created_at", 0LL);
    d.revoked = !r.value("revoked_at", Json()).is_null();
    return d;
}
}  // namespace

Json Device::to_json() const {
    return {{"deviceId", id}, {"name", name},       {"publicKey", public_key}, {"role", role},
            {"scopes", scopes}, {"createdAt", created_at}, {"revoked", revoked}};
}

std::optional<std::vector<std::string>> scopes_for_role(const std::string& role) {
    if (role == "admin") return std::vector<std::string>{"read", "write", "approve", "admin"};
    if (role == "operator") return std::vector<std::string>{"read", "write", "approve"};
    if (role == "read") return std::vector<std::string>{"read"};
    return std::nullopt;
}

void DeviceStore::migrate() {
    host_.migrate(Json::array({{{"version", 1},
                                {"sql", "CREATE TABLE IF NOT EXISTS " + table() +
                                            " (id TEXT PRIMARY KEY, name TEXT NOT NULL, public_key TEXT NOT NULL UNIQUE,"
                                            " role TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER)"}}}));
}

std::optional<Device> DeviceStore::find(const std::string& id) {
    const Json rows = host_.exec("SELECT * FROM " + table() + " WHERE id = ?", Json::array({id})).value("rows", Json::array());
    if (rows.empty()) return std::nullopt;
    return from_row(rows[0]);
}

Device DeviceStore::pair(const std::string& name, const std::string& public_key, const std::string& role) {
    const auto id = device_id_for(public_key);
    if (!id) throw sdk::invalid("publicKey must be a base64url Ed25519 public key (32 bytes)");
    host_.exec("INSERT INTO " + table() +
                   " (id, name, public_key, role, created_at) VALUES (?, ?, ?, ?, ?)"
                   " ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role, revoked_at = NULL",
               Json::array({*id, name, public_key, role, now_ms()}));
    return *find(*id);
}

std::vector<Device> DeviceStore::list() {
    std::vector<Device> out;
    for (const auto& r : host_.exec("SELECT * FROM " + table() + " ORDER BY created_at").value("rows", Json::array()))
        out.push_back(from_row(r));
    return out;
}

bool DeviceStore::revoke(const std::string& id) {
    const Json r = host_.exec("UPDATE " + table() + " SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                              Json::array({now_ms(), id}));
    return r.value("changes", 0) > 0;
}

}  // namespace cowork::cp
