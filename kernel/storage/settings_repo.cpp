#include "storage/settings_repo.hpp"

#include "storage/clock.hpp"
#include "storage/sqlite.hpp"

namespace cowork::kernel::storage {

std::future<Status> SettingsRepo::set(const std::string& key, const Json& value) {
    const Json params = Json::array({key, value.dump(), now_ms()});
    return db_.write<Ok>([params](sqlite3* db) -> Status {
        auto done = execute(db,
                            "INSERT INTO settings(key, value, updated_at) VALUES(?,?,?)"
                            " ON CONFLICT(key) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at",
                            params);
        if (!done) return std::move(done).error();
        return ok_status();
    });
}

std::future<Status> SettingsRepo::remove(const std::string& key) {
    return db_.write<Ok>([key](sqlite3* db) -> Status {
        auto done = execute(db, "DELETE FROM settings WHERE key=?", Json::array({key}));
        if (!done) return std::move(done).error();
        return ok_status();
    });
}

Result<std::optional<Json>> SettingsRepo::get(const std::string& key) const {
    return db_.read<std::optional<Json>>([&](sqlite3* db) -> Result<std::optional<Json>> {
        auto row = query_one(db, "SELECT value FROM settings WHERE key=?", Json::array({key}));
        if (!row) return std::move(row).error();
        if (row->is_null()) return std::optional<Json>();
        return std::optional<Json>(Json::parse(row->at("value").get<std::string>()));
    });
}

Result<std::map<std::string, Json>> SettingsRepo::all() const {
    return db_.read<std::map<std::string, Json>>([](sqlite3* db) -> Result<std::map<std::string, Json>> {
        auto rows = query(db, "SELECT key, value FROM settings ORDER BY key");
        if (!rows) return std::move(rows).error();
        std::map<std::string, Json> out;
        for (const auto& row : *rows) out[row.at("key").get<std::string>()] = Json::parse(row.at("value").get<std::string>());
        return out;
    });
}

}  // namespace cowork::kernel::storage
