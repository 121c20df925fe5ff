#include "storage/database.hpp"

#include "core/log.hpp"

#include <system_error>

namespace cowork::kernel::storage {
namespace {

Status create_parent_directories(const std::filesystem::path& file) {
    const auto dir = file.parent_path();
    if (dir.empty()) return ok_status();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return make_error("storage.open_failed",
                          "could not create the data directory " + dir.string() + ": " + ec.message());
    // The database holds task history and ciphertexts: owner-only access.
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace, ec);
    return ok_status();
}

Status apply_all(sqlite3* db, const Migrations& migrations) {
    for (const auto& set : migrations.sets()) {
        auto applied = apply_migration_set(db, set);
        if (!applied) return std::move(applied).error();
    }
    return ok_status();
}

}  // namespace

Result<std::unique_ptr<Database>> Database::open(DatabaseOptions options, const Migrations& migrations) {
    if (options.path.empty()) return make_error("storage.invalid", "no database path given");
    if (auto s = create_parent_directories(options.path); !s) return std::move(s).error();

    auto writer_db = open_connection(options.path, ConnectionRole::writer, options.busy_timeout);
    if (!writer_db) return std::move(writer_db).error();
    // Migrations run here, before any other thread can see the connection.
    if (auto s = apply_all(writer_db->get(), migrations); !s) return std::move(s).error();

    // Readers open after the schema exists and the file is in WAL mode.
    auto readers = ReaderPool::open(options.path, options.readers, options.busy_timeout);
    if (!readers) return std::move(readers).error();

    auto writer = std::make_unique<Writer>(std::move(*writer_db), options.writer);
    logger()->info("storage: opened {} (WAL, {} readers)", options.path.string(), options.readers);
    return std::unique_ptr<Database>(new Database(options.path, std::move(writer), std::move(*readers)));
}

Database::Database(std::filesystem::path path, std::unique_ptr<Writer> writer, std::unique_ptr<ReaderPool> readers)
    : path_(std::move(path)), writer_(std::move(writer)), readers_(std::move(readers)) {}

Database::~Database() { close(); }

void Database::close() {
    writer_->stop();
    readers_->close();
}

std::future<Result<std::vector<int>>> Database::migrate(MigrationSet set) {
    return write_standalone<std::vector<int>>(
        [set = std::move(set)](sqlite3* db) { return apply_migration_set(db, set); });
}

}  // namespace cowork::kernel::storage
