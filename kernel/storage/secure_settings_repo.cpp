#include "storage/secure_settings_repo.hpp"

#include "storage/sqlite.hpp"

namespace cowork::kernel::storage {
namespace {

Result<std::vector<std::string>> key_column(sqlite3* db, const std::string& sql, const Json& params) {
    auto rows = query(db, sql, params);
    if (!rows) return std::move(rows).error();
    std::vector<std::string> out;
    for (const auto& row : *rows) out.push_back(row.at("key").get<std::string>());
    return out;
}

}  // namespace

std::future<Status> SecureSettingsRepo::put(const std::string& key, SealedValue value) {
    if (value.ciphertext.empty() || value.nonce.empty() || value.key_id.empty()) {
        std::promise<Status> refused;
        refused.set_value(make_error("storage.invalid", "a sealed value needs ciphertext, nonce and key_id"));
        return refused.get_future();
    }
    const Json params = Json::array({key, Json::binary(std::move(value.ciphertext)), Json::binary(std::move(value.nonce)),
                                     value.key_id, now_ms()});
    return db_.write<Ok>([params](sqlite3* db) -> Status {
        auto done = execute(db,
                            "INSERT INTO secure_settings(key, ciphertext, nonce, key_id, updated_at) VALUES(?,?,?,?,?)"
                            " ON CONFLICT(key) DO UPDATE SET ciphertext=excluded.ciphertext, nonce=excluded.nonce,"
                            " key_id=excluded.key_id, updated_at=excluded.updated_at",
                            params);
        if (!done) return std::move(done).error();
        return ok_status();
    });
}

std::future<Status> SecureSettingsRepo::remove(const std::string& key) {
    return db_.write<Ok>([key](sqlite3* db) -> Status {
        auto done = execute(db, "DELETE FROM secure_settings WHERE key=?", Json::array({key}));
        if (!done) return std::move(done).error();
        return ok_status();
    });
}

Result<std::optional<SealedValue>> SecureSettingsRepo::get(const std::string& key) const {
    return db_.read<std::optional<SealedValue>>([&](sqlite3* db) -> Result<std::optional<SealedValue>> {
        auto stmt = Statement::prepare(db, "SELECT ciphertext, nonce, key_id, updated_at FROM secure_settings WHERE key=?");
        if (!stmt) return std::move(stmt).error();
        if (auto s = stmt->bind(1, key); !s) return std::move(s).error();
        auto row = stmt->step();
        if (!row) return std::move(row).error();
        if (!*row) return std::optional<SealedValue>();
        return std::optional<SealedValue>(SealedValue{stmt->blob(0), stmt->blob(1), stmt->text(2), stmt->int64(3)});
    });
}

Result<std::vector<std::string>> SecureSettingsRepo::keys() const {
    return db_.read<std::vector<std::string>>(
        [](sqlite3* db) { return key_column(db, "SELECT key FROM secure_settings ORDER BY key", Json::array()); });
}

Result<std::vector<std::string>> SecureSettingsRepo::keys_sealed_with(const std::string& key_id) const {
    return db_.read<std::vector<std::string>>([&](sqlite3* db) {
        return key_column(db, "SELECT key FROM secure_settings WHERE key_id=? ORDER BY key", Json::array({key_id}));
    });
}

}  // namespace cowork::kernel::storage
