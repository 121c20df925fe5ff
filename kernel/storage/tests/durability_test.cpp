// kill -9 a process in the middle of journal appends, several times, and
// check that everything it was told was committed survived, intact.
#include "storage/sqlite.hpp"
#include "test_support.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

namespace cowork::kernel::storage {
namespace {

using testing::open_db;
using testing::TempDir;

struct ChildRun {
    std::string output;  // "task seq" lines the child reported as committed
    int signal = 0;
};

// Starts the helper, waits until it has committed something, lets it run
// for `delay` more, then SIGKILLs it. Returns what it reported.
ChildRun run_and_kill(const std::filesystem::path& db_file, std::chrono::milliseconds delay) {
    int fds[2];
    if (pipe(fds) != 0) return {};
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(COWORK_JOURNAL_CHILD, COWORK_JOURNAL_CHILD, db_file.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    ChildRun run;
    std::thread reader([&] {
        char buffer[4096];
        for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) run.output.append(buffer, static_cast<size_t>(n));
    });
    // Wait for the first committed line, so the kill lands mid-stream.
    for (int i = 0; i < 1000 && run.output.empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(delay);
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    reader.join();  // EOF: the child's end closed when it died
    close(fds[0]);
    run.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return run;
}

std::map<std::string, std::set<std::int64_t>> parse_reported(const std::string& output) {
    std::map<std::string, std::set<std::int64_t>> reported;
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string task;
        std::int64_t seq = 0;
        if (fields >> task >> seq) reported[task].insert(seq);
    }
    return reported;
}

Json read_rows(Database& db, const std::string& sql) {
    auto rows = db.read<Json>([&](sqlite3* c) { return query(c, sql); });
    EXPECT_TRUE(rows.ok()) << (rows ? "" : rows.error().message);
    return rows.value_or(Json::array());
}

TEST(Durability, KillNineMidAppendLosesNothingCommitted) {
    TempDir dir;
    const auto file = dir.path() / "cowork.db";
    std::mt19937 rng(20240611);  // fixed seed: the same kill points every run
    std::uniform_int_distribution<int> delay_ms(5, 120);
    std::size_t total_reported = 0;

    for (int round = 0; round < 5; ++round) {
        const auto run = run_and_kill(file, std::chrono::milliseconds(delay_ms(rng)));
        ASSERT_EQ(run.signal, SIGKILL) << "round " << round << ": the child exited on its own";
        const auto reported = parse_reported(run.output);
        ASSERT_FALSE(reported.empty()) << "round " << round << ": the child committed nothing";

        auto db = open_db(file);  // migrations re-run (a no-op) on the crashed file
        ASSERT_TRUE(db) << "round " << round;
        EXPECT_EQ(read_rows(*db, "PRAGMA integrity_check")[0]["integrity_check"], "ok");
        EXPECT_EQ(read_rows(*db, "SELECT version FROM schema_migrations WHERE component='kernel'").size(), 1u);

        for (const auto& [task, seqs] : reported) {
            const Json stored = read_rows(*db, "SELECT seq FROM task_events WHERE task_id='" + task + "' ORDER BY seq");
            for (size_t i = 0; i < stored.size(); ++i)
                ASSERT_EQ(stored[i]["seq"], static_cast<std::int64_t>(i + 1)) << task << " has a gap";
            ASSERT_GE(stored.size(), static_cast<size_t>(*seqs.rbegin()))
                << task << ": a seq reported as committed is missing after the crash";
            total_reported += seqs.size();
        }
    }
    EXPECT_GT(total_reported, 0u);
}

}  // namespace
}  // namespace cowork::kernel::storage
