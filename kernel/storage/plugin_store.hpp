// kernel/storage/plugin_store.hpp — a plugin's own tables in the kernel database.
//
// JSON in, JSON out, so it maps 1:1 onto the plugin ABI's host calls:
//   migrate({"migrations":[{"version":1,"name":"…","sql":"CREATE TABLE p_x_y_notes(…)"}]})
//     → {"applied":[1], "version":1}
//   exec({"sql":"SELECT * FROM p_x_y_notes WHERE id=?", "params":[7]})
//     → {"rows":[{…}], "changes":0}
// Every statement runs on the writer thread under a PluginAuthorizer (see
// plugin_authorizer.hpp for what is allowed). exec is one statement and is
// atomic (its own savepoint in a group-commit batch); each migration is its
// own transaction, tracked in schema_migrations as component "plugin:<id>".
// BLOB columns come back as JSON binary values.
#pragma once

#include "storage/database.hpp"

#include <string>

namespace cowork::kernel::storage {

// [any-thread] Holds a reference to the Database, which must outlive it.
class PluginStore {
public:
    static constexpr std::size_t kMaxRows = 10000;

    PluginStore(Database& db, std::string plugin_id);

    const std::string& plugin_id() const { return plugin_id_; }
    // "p_<id with . and - as _>_": every table of this plugin starts with it.
    const std::string& table_prefix() const { return prefix_; }

    std::future<Result<Json>> migrate(const Json& request);
    std::future<Result<Json>> exec(const Json& request);

    // Highest migration version applied for this plugin (0: none).
    Result<int> version() const;

private:
    Database& db_;
    std::string plugin_id_;
    std::string prefix_;
};

}  // namespace cowork::kernel::storage
