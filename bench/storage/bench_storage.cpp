// Journal appends/s through the group-commit writer vs raw SQLite inserts,
// on the same machine in the same run, in a private temp dir. Figures only.
#include "core/log.hpp"
#include "storage/connection.hpp"
#include "storage/kernel_schema.hpp"
#include "storage/sqlite.hpp"
#include "storage/task_event_journal.hpp"
#include "storage/task_repo.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

using namespace cowork::kernel;
using namespace cowork::kernel::storage;
namespace fs = std::filesystem;

namespace {

constexpr int kEvents = 20000;
constexpr int kEventsPerRowTxn = 5000;  // one fsync-free commit each: slower, fewer rows
const Json kPayload = {{"tool", "fs.read"}, {"path", "/home/user/notes/todo.md"}, {"bytes", 1234}};

void report(const char* label, int count, const std::function<bool()>& run) {
    const auto start = std::chrono::steady_clock::now();
    const bool ok = run();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%-52s %9.0f appends/s  (%d in %.2f s)%s\n", label, count / seconds, count, seconds,
                ok ? "" : "  [ERRORS]");
}

std::unique_ptr<Database> open_fresh(const fs::path& file) {
    Migrations migrations;
    if (!migrations.add(kernel_migrations())) return nullptr;
    auto db = Database::open({.path = file}, migrations);
    if (!db) {
        std::fprintf(stderr, "open failed: %s\n", db.error().message.c_str());
        return nullptr;
    }
    TaskRepo tasks(**db);
    for (int t = 0; t < 8; ++t) {
        Task task;
        task.id = "t" + std::to_string(t);
        if (!tasks.create(task).get()) return nullptr;
    }
    return std::move(db).value();
}

bool producers(TaskEventJournal& journal, int threads, int total) {
    std::vector<std::thread> pool;
    std::vector<char> ok(static_cast<size_t>(threads), 1);
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            const std::string task = "t" + std::to_string(t);
            for (int i = 0; i < total / threads; ++i)
                if (!journal.append(task, "tool.call", kPayload).get()) ok[static_cast<size_t>(t)] = 0;
        });
    for (auto& th : pool) th.join();
    return std::all_of(ok.begin(), ok.end(), [](char c) { return c != 0; });
}

bool pipelined(TaskEventJournal& journal, int total) {
    std::vector<std::future<Result<TaskEvent>>> pending;
    pending.reserve(static_cast<size_t>(total));
    for (int i = 0; i < total; ++i) pending.push_back(journal.append("t0", "tool.call", kPayload));
    bool ok = true;
    for (auto& f : pending) ok = f.get().ok() && ok;
    return ok;
}

bool raw_inserts(const fs::path& file, int total, int rows_per_txn) {
    auto db = open_connection(file, ConnectionRole::writer, std::chrono::milliseconds(5000));
    if (!db || !apply_migration_set(db->get(), kernel_migrations())) return false;
    sqlite3* c = db->get();
    if (!execute(c, "INSERT INTO tasks(id, status, created_at, updated_at) VALUES('raw','queued',0,0)")) return false;
    auto stmt = Statement::prepare(c, "INSERT INTO task_events(task_id, seq, ts, type, payload) VALUES('raw',?,?,?,?)");
    if (!stmt) return false;
    const std::string payload = kPayload.dump();
    for (int i = 0; i < total; ++i) {
        if (i % rows_per_txn == 0 && !exec_script(c, "BEGIN IMMEDIATE")) return false;
        if (!stmt->bind_all(Json::array({i + 1, now_ms(), "tool.call", payload}))) return false;
        if (!stmt->step() || !stmt->reset()) return false;
        if ((i + 1) % rows_per_txn == 0 && !exec_script(c, "COMMIT")) return false;
    }
    // A final partial transaction is still open when total is not a multiple.
    return total % rows_per_txn == 0 || exec_script(c, "COMMIT").ok();
}

}  // namespace

int main() {
    logger()->set_level(spdlog::level::warn);  // keep the figures readable
    std::string pattern = (fs::temp_directory_path() / "cowork-bench-storage-XXXXXX").string();
    if (!mkdtemp(pattern.data())) return 1;
    const fs::path dir = pattern;
    std::printf("storage benchmark in %s (SQLite %s, WAL, synchronous=NORMAL)\n", dir.c_str(), sqlite3_libversion());
    {
        auto db = open_fresh(dir / "journal.db");
        if (!db) return 1;
        TaskEventJournal journal(*db);
        report("journal, 1 producer waiting on each append", kEventsPerRowTxn,
               [&] { return producers(journal, 1, kEventsPerRowTxn); });
        report("journal, 1 producer pipelined (futures)", kEvents, [&] { return pipelined(journal, kEvents); });
        report("journal, 8 producers waiting on each append", kEvents, [&] { return producers(journal, 8, kEvents); });
        const auto s = db->stats();
        std::printf("  writer: %llu jobs in %llu transactions (largest batch %llu)\n",
                    static_cast<unsigned long long>(s.jobs), static_cast<unsigned long long>(s.transactions),
                    static_cast<unsigned long long>(s.largest_batch));
    }
    report("raw SQLite prepared insert, 1 transaction/1000 rows", kEvents,
           [&] { return raw_inserts(dir / "raw1000.db", kEvents, 1000); });
    report("raw SQLite prepared insert, 1 transaction/row", kEventsPerRowTxn,
           [&] { return raw_inserts(dir / "raw1.db", kEventsPerRowTxn, 1); });
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}
