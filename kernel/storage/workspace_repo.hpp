// kernel/storage/workspace_repo.hpp — workspaces: a named folder plus its permissions.
#pragma once

#include "storage/clock.hpp"
#include "storage/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::storage {

struct Workspace {
    std::string id;  // empty on create: one is generated ("ws_…")
    std::string name;
    std::string path;
    Json permissions = Json::object();  // {"read":true,"write":false,…}; policy owns the meaning
    UnixMillis created_at = 0;
    UnixMillis updated_at = 0;
};

// [any-thread] Holds a reference to the Database, which must outlive it.
class WorkspaceRepo {
public:
    explicit WorkspaceRepo(Database& db) : db_(db) {}

    std::future<Result<Workspace>> create(Workspace workspace);
    // Updates name, path and permissions of an existing workspace.
    std::future<Result<Workspace>> update(Workspace workspace);
    std::future<Status> remove(const std::string& id);

    Result<std::optional<Workspace>> get(const std::string& id) const;
    Result<std::vector<Workspace>> list() const;

private:
    Database& db_;
};

}  // namespace cowork::kernel::storage
