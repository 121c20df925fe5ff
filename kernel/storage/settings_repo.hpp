// kernel/storage/settings_repo.hpp — plain (non-secret) settings as JSON values.
#pragma once

#include "storage/database.hpp"

#include <map>
#include <optional>
#include <string>

namespace cowork::kernel::storage {

// [any-thread] Holds a reference to the Database, which must outlive it.
// Secrets belong in SecureSettingsRepo, never here.
class SettingsRepo {
public:
    explicit SettingsRepo(Database& db) : db_(db) {}

    std::future<Status> set(const std::string& key, const Json& value);
    // Succeeds whether or not the key existed.
    std::future<Status> remove(const std::string& key);

    Result<std::optional<Json>> get(const std::string& key) const;
    Result<std::map<std::string, Json>> all() const;

private:
    Database& db_;
};

}  // namespace cowork::kernel::storage
