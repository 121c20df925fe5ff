#include "channels/channel_repo.hpp"

#include "storage/sqlite.hpp"

namespace cowork::kernel::channels {
namespace {

constexpr const char* kColumns =
    "id, plugin, name, enabled, config, secret_refs, status, status_detail, status_at, created_at, updated_at";

ChannelInstance from_row(const Json& row) {
    ChannelInstance c;
    c.id = row.at("id").get<std::string>();
    c.plugin = row.at("plugin").get<std::string>();
    c.name = row.at("name").get<std::string>();
    c.enabled = row.at("enabled").get<int64_t>() != 0;
    c.config = storage::parse_json_column(row.at("config"));
    for (const auto& ref : storage::parse_json_column(row.at("secret_refs")))
        if (ref.is_string()) c.secret_refs.push_back(ref.get<std::string>());
    c.status = {row.at("status").get<std::string>(), row.at("status_detail").get<std::string>(),
                row.at("status_at").get<storage::UnixMillis>()};
    c.created_at = row.at("created_at").get<storage::UnixMillis>();
    c.updated_at = row.at("updated_at").get<storage::UnixMillis>();
    return c;
}

Error duplicate_name(const std::string& name) {
    return make_error("channel.duplicate_name", "a channel named '" + name + "' already exists; pick another name");
}

bool is_unique_violation(const Error& e) { return e.message.find("UNIQUE") != std::string::npos; }

Result<std::optional<ChannelInstance>> one(sqlite3* db, const std::string& where, const std::string& value) {
    auto row = storage::query_one(db, std::string("SELECT ") + kColumns + " FROM channels WHERE " + where,
                                  Json::array({value}));
    if (!row) return std::move(row).error();
    if (row->is_null()) return std::optional<ChannelInstance>();
    return std::optional<ChannelInstance>(from_row(*row));
}

}  // namespace

storage::MigrationSet channel_migrations() {
    return {"channels",
            {{1, "channel instances",
              "CREATE TABLE channels("
              " id TEXT PRIMARY KEY,"
              " plugin TEXT NOT NULL,"
              " name TEXT NOT NULL UNIQUE,"
              " enabled INTEGER NOT NULL DEFAULT 1,"
              " config TEXT NOT NULL DEFAULT '{}',"
              " secret_refs TEXT NOT NULL DEFAULT '[]',"
              " status TEXT NOT NULL DEFAULT 'connecting',"
              " status_detail TEXT NOT NULL DEFAULT '',"
              " status_at INTEGER NOT NULL DEFAULT 0,"
              " created_at INTEGER NOT NULL,"
              " updated_at INTEGER NOT NULL);"
              "CREATE INDEX channels_by_plugin ON channels(plugin);"}}};
}

Result<ChannelInstance> ChannelRepo::insert(const ChannelInstance& c) {
    auto done = db_.write<ChannelInstance>([c](sqlite3* db) -> Result<ChannelInstance> {
        auto inserted = storage::execute(
            db,
            "INSERT INTO channels(id,plugin,name,enabled,config,secret_refs,status,status_detail,status_at,created_at,"
            "updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
            Json::array({c.id, c.plugin, c.name, c.enabled ? 1 : 0, c.config.dump(), Json(c.secret_refs).dump(),
                         c.status.state, c.status.detail, c.status.at, c.created_at, c.updated_at}));
        if (!inserted) return is_unique_violation(inserted.error()) ? duplicate_name(c.name) : std::move(inserted).error();
        return c;
    });
    return done.get();
}

Result<ChannelInstance> ChannelRepo::update(const ChannelInstance& c) {
    auto done = db_.write<ChannelInstance>([c](sqlite3* db) -> Result<ChannelInstance> {
        auto changed = storage::execute(
            db, "UPDATE channels SET name=?2, enabled=?3, config=?4, secret_refs=?5, updated_at=?6 WHERE id=?1",
            Json::array({c.id, c.name, c.enabled ? 1 : 0, c.config.dump(), Json(c.secret_refs).dump(), c.updated_at}));
        if (!changed) return is_unique_violation(changed.error()) ? duplicate_name(c.name) : std::move(changed).error();
        if (*changed == 0) return make_error("channel.not_found", "no channel " + c.id);
        auto row = one(db, "id=?", c.id);
        if (!row) return std::move(row).error();
        return **row;
    });
    return done.get();
}

Status ChannelRepo::remove(const std::string& id) {
    return db_
        .write<Ok>([id](sqlite3* db) -> Status {
            auto changed = storage::execute(db, "DELETE FROM channels WHERE id=?", Json::array({id}));
            if (!changed) return std::move(changed).error();
            return ok_status();
        })
        .get();
}

void ChannelRepo::record_status(const std::string& id, const ChannelStatus& status) {
    (void)db_.write<Ok>([id, status](sqlite3* db) -> Status {
        auto changed = storage::execute(db, "UPDATE channels SET status=?2, status_detail=?3, status_at=?4 WHERE id=?1",
                                        Json::array({id, status.state, status.detail, status.at}));
        if (!changed) return std::move(changed).error();
        return ok_status();
    });
}

Result<std::optional<ChannelInstance>> ChannelRepo::get(const std::string& id) const {
    return db_.read<std::optional<ChannelInstance>>([&](sqlite3* db) { return one(db, "id=?", id); });
}

Result<std::optional<ChannelInstance>> ChannelRepo::find_by_name(const std::string& name) const {
    return db_.read<std::optional<ChannelInstance>>([&](sqlite3* db) { return one(db, "name=?", name); });
}

Result<std::vector<ChannelInstance>> ChannelRepo::list() const {
    return db_.read<std::vector<ChannelInstance>>([](sqlite3* db) -> Result<std::vector<ChannelInstance>> {
        auto rows = storage::query(db, std::string("SELECT ") + kColumns + " FROM channels ORDER BY name, id");
        if (!rows) return std::move(rows).error();
        std::vector<ChannelInstance> out;
        for (const auto& row : *rows) out.push_back(from_row(row));
        return out;
    });
}

}  // namespace cowork::kernel::channels
