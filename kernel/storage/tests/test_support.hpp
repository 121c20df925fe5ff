// Shared helpers for the storage tests: a private temp dir and an opened DB.
#pragma once

#include "storage/database.hpp"
#include "storage/kernel_schema.hpp"
#include "storage/task_repo.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace cowork::kernel::storage::testing {

class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "cowork-storage-XXXXXX").string();
        path_ = mkdtemp(pattern.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

inline Migrations kernel_only() {
    Migrations m;
    EXPECT_TRUE(m.add(kernel_migrations()).ok());
    return m;
}

inline std::unique_ptr<Database> open_db(const std::filesystem::path& file, DatabaseOptions options = {}) {
    options.path = file;
    auto db = Database::open(options, kernel_only());
    EXPECT_TRUE(db.ok()) << (db ? "" : db.error().message);
    return db ? std::move(db).value() : nullptr;
}

inline Task make_task(TaskRepo& tasks, const std::string& id) {
    Task t;
    t.id = id;
    t.title = "title of " + id;
    auto created = tasks.create(t).get();
    EXPECT_TRUE(created.ok()) << (created ? "" : created.error().message);
    return created ? created.value() : t;
}

}  // namespace cowork::kernel::storage::testing
