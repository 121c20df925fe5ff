// kernel/channels/channel_repo.hpp — channel instances in cowork.db.
//
// The `channels` migration set owns one table. `status*` columns hold the
// last state the running coworkd saw; writing them never touches
// `updated_at`, which marks user changes only (the registry of a running
// coworkd compares it to notice changes made by another process, e.g. the
// CLI, and applies them).
#pragma once

#include "channels/channel_instance.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

#include <optional>
#include <vector>

namespace cowork::kernel::channels {

storage::MigrationSet channel_migrations();

// [any-thread] Holds a reference to the Database, which must outlive it.
class ChannelRepo {
public:
    explicit ChannelRepo(storage::Database& db) : db_(db) {}

    // Fails "channel.duplicate_name" when the name is taken.
    Result<ChannelInstance> insert(const ChannelInstance& c);
    // Writes name, enabled, config, secret refs and updated_at.
    Result<ChannelInstance> update(const ChannelInstance& c);
    Status remove(const std::string& id);
    // Queued; the status is informative, so nobody waits for it.
    void record_status(const std::string& id, const ChannelStatus& status);

    Result<std::optional<ChannelInstance>> get(const std::string& id) const;
    Result<std::optional<ChannelInstance>> find_by_name(const std::string& name) const;
    Result<std::vector<ChannelInstance>> list() const;

private:
    storage::Database& db_;
};

}  // namespace cowork::kernel::channels
