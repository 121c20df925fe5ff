// kernel/storage/plugin_state_repo.hpp — what the user decided about each plugin
// and the state it was last in (survives restarts).
#pragma once

#include "storage/clock.hpp"
#include "storage/database.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::storage {

struct PluginState {
    std::string plugin_id;
    std::optional<bool> enabled;  // nullopt: the user never chose; manifest default applies
    std::string state;            // the plugin manager's state name ("running", "failed", …)
    std::optional<std::string> reason;
    UnixMillis updated_at = 0;    // set by upsert()
};

// [any-thread] Holds a reference to the Database, which must outlive it.
class PluginStateRepo {
public:
    explicit PluginStateRepo(Database& db) : db_(db) {}

    std::future<Status> upsert(PluginState state);
    Result<std::optional<PluginState>> get(const std::string& plugin_id) const;
    Result<std::vector<PluginState>> list() const;

private:
    Database& db_;
};

}  // namespace cowork::kernel::storage
