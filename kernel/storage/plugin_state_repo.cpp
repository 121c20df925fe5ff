#include "storage/plugin_state_repo.hpp"

#include "storage/sqlite.hpp"

namespace cowork::kernel::storage {
namespace {

constexpr const char* kSelect = "SELECT plugin_id, enabled, state, reason, updated_at FROM plugin_state";

PluginState from_row(const Json& row) {
    PluginState s;
    s.plugin_id = row.at("plugin_id").get<std::string>();
    if (!row.at("enabled").is_null()) s.enabled = row.at("enabled").get<int>() != 0;
    s.state = row.at("state").get<std::string>();
    if (!row.at("reason").is_null()) s.reason = row.at("reason").get<std::string>();
    s.updated_at = row.at("updated_at").get<UnixMillis>();
    return s;
}

}  // namespace

std::future<Status> PluginStateRepo::upsert(PluginState s) {
    const Json params = Json::array({s.plugin_id, s.enabled ? Json(*s.enabled ? 1 : 0) : Json(nullptr), s.state,
                                     s.reason ? Json(*s.reason) : Json(nullptr), now_ms()});
    return db_.write<Ok>([params](sqlite3* db) -> Status {
        auto done = execute(db,
                            "INSERT INTO plugin_state(plugin_id, enabled, state, reason, updated_at) VALUES(?,?,?,?,?)"
                            " ON CONFLICT(plugin_id) DO UPDATE SET enabled=excluded.enabled, state=excluded.state,"
                            " reason=excluded.reason, updated_at=excluded.updated_at",
                            params);
        if (!done) return std::move(done).error();
        return ok_status();
    });
}

Result<std::optional<PluginState>> PluginStateRepo::get(const std::string& plugin_id) const {
    return db_.read<std::optional<PluginState>>([&](sqlite3* db) -> Result<std::optional<PluginState>> {
        auto row = query_one(db, std::string(kSelect) + " WHERE plugin_id=?", Json::array({plugin_id}));
        if (!row) return std::move(row).error();
        if (row->is_null()) return std::optional<PluginState>();
        return std::optional<PluginState>(from_row(*row));
    });
}

Result<std::vector<PluginState>> PluginStateRepo::list() const {
    return db_.read<std::vector<PluginState>>([](sqlite3* db) -> Result<std::vector<PluginState>> {
        auto rows = query(db, std::string(kSelect) + " ORDER BY plugin_id");
        if (!rows) return std::move(rows).error();
        std::vector<PluginState> out;
        for (const auto& row : *rows) out.push_back(from_row(row));
        return out;
    });
}

}  // namespace cowork::kernel::storage
