#include "storage/reader_pool.hpp"

namespace cowork::kernel::storage {

Result<std::unique_ptr<ReaderPool>> ReaderPool::open(const std::filesystem::path& path, int size,
                                                     std::chrono::milliseconds busy_timeout) {
    std::vector<Connection> connections;
    for (int i = 0; i < std::max(size, 1); ++i) {
        auto db = open_connection(path, ConnectionRole::reader, busy_timeout);
        if (!db) return std::move(db).error();
        connections.push_back(std::move(*db));
    }
    return std::unique_ptr<ReaderPool>(new ReaderPool(std::move(connections)));
}

ReaderPool::ReaderPool(std::vector<Connection> connections) : owned_(std::move(connections)) {
    for (auto& c : owned_) idle_.push_back(c.get());
}

std::optional<ReaderPool::Lease> ReaderPool::acquire() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return closed_ || !idle_.empty(); });
    if (closed_) return std::nullopt;
    sqlite3* db = idle_.back();
    idle_.pop_back();
    return std::optional<Lease>(std::in_place, this, db);
}

void ReaderPool::give_back(sqlite3* db) {
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(db);
    }
    changed_.notify_all();
}

void ReaderPool::close() {
    std::unique_lock lock(mutex_);
    closed_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return idle_.size() == owned_.size(); });
    idle_.clear();
    owned_.clear();
}

}  // namespace cowork::kernel::storage
