#include "server_store.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::mcp {

void ServerStore::open() {
    if (!host_.service<cowork_storage_v1>(COWORK_SERVICE_STORAGE)) return;
    host_.migrate(Json::array(
        {{{"version", 1}, {"sql", "CREATE TABLE " + table() + " (name TEXT PRIMARY KEY, config TEXT NOT NULL, added_ms INTEGER NOT NULL)"}},
         // mcp.enable/disable for every server, cowork.toml's included (the file stays untouched).
         {{"version", 2}, {"sql", "CREATE TABLE " + host_.table_prefix() + "enabled (name TEXT PRIMARY KEY, enabled INTEGER NOT NULL)"}}}));
    open_ = true;
}

std::vector<ServerConfig> ServerStore::load(std::vector<std::string>& problems) const {
    std::vector<ServerConfig> out;
    if (!open_) return out;
    const Json rows = host_.exec("SELECT name, config FROM " + table() + " ORDER BY name").value("rows", Json::array());
    for (const auto& row : rows) {
        try {
            out.push_back(parse_server_config(row.value("name", ""), Json::parse(row.value("config", "{}"))));
        } catch (const std::exception& e) {
            problems.push_back(std::string("stored server: ") + e.what());
        }
    }
    return out;
}

void ServerStore::save(const ServerConfig& c) const {
    if (!open_) throw sdk::Error(COWORK_E_UNSUPPORTED, "unsupported", "this kernel offers no plugin storage; add the server to cowork.toml instead");
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    host_.exec("INSERT INTO " + table() + " (name, config, added_ms) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET config = excluded.config",
               Json::array({c.name, c.to_json().dump(), now}));
}

void ServerStore::set_enabled(const std::string& name, bool enabled) const {
    if (!open_) throw sdk::Error(COWORK_E_UNSUPPORTED, "unsupported", "this kernel offers no plugin storage; set `enabled` in cowork.toml instead");
    host_.exec("INSERT INTO " + host_.table_prefix() + "enabled (name, enabled) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET enabled = excluded.enabled",
               Json::array({name, enabled ? 1 : 0}));
}

bool ServerStore::remove(const std::string& name) const {
    if (!open_) return false;
    host_.exec("DELETE FROM " + host_.table_prefix() + "enabled WHERE name = ?", Json::array({name}));
    return host_.exec("DELETE FROM " + table() + " WHERE name = ?", Json::array({name})).value("changes", 0) > 0;
}

}  // namespace cowork::mcp
