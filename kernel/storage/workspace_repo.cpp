#include "storage/workspace_repo.hpp"

#include "storage/ids.hpp"
#include "storage/sqlite.hpp"

namespace cowork::kernel::storage {
namespace {

constexpr const char* kColumns = "id, name, path, permissions, created_at, updated_at";

Workspace from_row(const Json& row) {
    return Workspace{row.at("id").get<std::string>(),         row.at("name").get<std::string>(),
                     row.at("path").get<std::string>(),       parse_json_column(row.at("permissions")),
                     row.at("created_at").get<UnixMillis>(), row.at("updated_at").get<UnixMillis>()};
}

Error not_found(const std::string& id) {
    return make_error("storage.not_found", "no workspace with id '" + id + "'; list workspaces to see valid ids");
}

}  // namespace

std::future<Result<Workspace>> WorkspaceRepo::create(Workspace ws) {
    if (ws.id.empty()) ws.id = new_id("ws_");
    ws.created_at = ws.updated_at = now_ms();
    return db_.write<Workspace>([ws](sqlite3* db) -> Result<Workspace> {
        auto done = execute(db, "INSERT INTO workspaces(id,name,path,permissions,created_at,updated_at) VALUES(?,?,?,?,?,?)",
                            Json::array({ws.id, ws.name, ws.path, ws.permissions, ws.created_at, ws.updated_at}));
        if (!done) return std::move(done).error();
        return ws;
    });
}

std::future<Result<Workspace>> WorkspaceRepo::update(Workspace ws) {
    ws.updated_at = now_ms();
    return db_.write<Workspace>([ws](sqlite3* db) -> Result<Workspace> {
        auto changed = execute(db, "UPDATE workspaces SET name=?2, path=?3, permissions=?4, updated_at=?5 WHERE id=?1",
                               Json::array({ws.id, ws.name, ws.path, ws.permissions, ws.updated_at}));
        if (!changed) return std::move(changed).error();
        if (*changed == 0) return not_found(ws.id);
        auto row = query_one(db, std::string("SELECT ") + kColumns + " FROM workspaces WHERE id=?", Json::array({ws.id}));
        if (!row) return std::move(row).error();
        return from_row(*row);
    });
}

std::future<Status> WorkspaceRepo::remove(const std::string& id) {
    return db_.write<Ok>([id](sqlite3* db) -> Status {
        auto changed = execute(db, "DELETE FROM workspaces WHERE id=?", Json::array({id}));
        if (!changed) return std::move(changed).error();
        if (*changed == 0) return not_found(id);
        return ok_status();
    });
}

Result<std::optional<Workspace>> WorkspaceRepo::get(const std::string& id) const {
    return db_.read<std::optional<Workspace>>([&](sqlite3* db) -> Result<std::optional<Workspace>> {
        auto row = query_one(db, std::string("SELECT ") + kColumns + " FROM workspaces WHERE id=?", Json::array({id}));
        if (!row) return std::move(row).error();
        if (row->is_null()) return std::optional<Workspace>();
        return std::optional<Workspace>(from_row(*row));
    });
}

Result<std::vector<Workspace>> WorkspaceRepo::list() const {
    return db_.read<std::vector<Workspace>>([](sqlite3* db) -> Result<std::vector<Workspace>> {
        auto rows = query(db, std::string("SELECT ") + kColumns + " FROM workspaces ORDER BY name, id");
        if (!rows) return std::move(rows).error();
        std::vector<Workspace> out;
        for (const auto& row : *rows) out.push_back(from_row(row));
        return out;
    });
}

}  // namespace cowork::kernel::storage
