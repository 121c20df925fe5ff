// Helper for durability_test: appends journal events as fast as it can and
// reports each committed append as "task seq\n" on stdout, until killed.
// Usage: cowork_storage_journal_child <db-file>
#include "storage/kernel_schema.hpp"
#include "storage/task_event_journal.hpp"
#include "storage/task_repo.hpp"

#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace cowork::kernel::storage;

namespace {

constexpr int kTasks = 4;
constexpr int kThreads = 4;

// One write(2) per line: pipe writes under PIPE_BUF are atomic, so lines
// from several threads never interleave, and nothing sits in a stdio buffer
// when the kill arrives.
void report(const TaskEvent& e) {
    const std::string line = e.task_id + " " + std::to_string(e.seq) + "\n";
    if (::write(STDOUT_FILENO, line.data(), line.size()) < 0) _exit(3);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <db-file>\n", argv[0]);
        return 2;
    }
    Migrations migrations;
    if (!migrations.add(kernel_migrations())) return 1;
    auto db = Database::open({.path = argv[1]}, migrations);
    if (!db) {
        std::fprintf(stderr, "%s\n", db.error().message.c_str());
        return 1;
    }
    TaskRepo tasks(**db);
    for (int t = 0; t < kTasks; ++t) {
        const std::string id = "task" + std::to_string(t);
        auto existing = tasks.get(id);
        if (existing && !existing->has_value()) {
            Task task;
            task.id = id;
            if (!tasks.create(task).get()) return 1;
        }
    }
    TaskEventJournal journal(**db);
    std::vector<std::thread> writers;
    for (int w = 0; w < kThreads; ++w)
        writers.emplace_back([&, w] {
            for (long i = 0;; ++i) {
                const std::string task = "task" + std::to_string((w + i) % kTasks);
                auto e = journal.append(task, "step", {{"writer", w}, {"i", i}, {"pad", std::string(200, 'p')}}).get();
                if (e) report(*e);
            }
        });
    for (auto& t : writers) t.join();  // never: the parent kills us
}
