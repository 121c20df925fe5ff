// The agent runtime's own cost per turn, with a model that answers
// instantly: the real AgentRuntime, SQLite journal, policy engine and
// ToolRegistry, a zero-latency LlmClient and one fake read-only tool.
// Prints time per turn (model time subtracted), heap allocations per turn
// (a replaced global operator new counts every thread: the storage writer's
// work for the turn is included), and tasks/s at concurrency 1 and 8.
// Figures only; nothing here gates CI.
#include "agent/agent_runtime.hpp"
#include "core/log.hpp"
#include "policy/engine.hpp"
#include "storage/database.hpp"
#include "storage/kernel_schema.hpp"
#include "storage/workspace_repo.hpp"

#include <cowork/sdk/interfaces.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <new>

// Every `new` in the process, from any thread (alloc_counter.cpp).
uint64_t allocation_count();

namespace {

using namespace cowork::kernel;
using namespace cowork::kernel::agent;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Answers instantly. A task's first turn calls tool.bench.read when the
// prompt asks for it; any turn after a tool result (or a "text" prompt) ends
// the task with a short text.
class InstantLlm final : public LlmClient {
public:
    std::vector<std::string> providers() const override { return {"llm.bench"}; }
    Result<ModelInfo> resolve(const ModelChoice&) const override { return ModelInfo{"llm.bench", "instant", 1'000'000}; }
    Result<Json> complete(const ModelChoice&, Json request, const EventFn& on_event) override {
        const auto t0 = Clock::now();
        const Json& last = request["messages"].back();
        const bool wants_tool = last.value("role", "") == "user" &&
                                last["content"][0].value("text", "").rfind("tool", 0) == 0;
        Json content = Json::array();
        if (wants_tool) {
            content.push_back({{"type", "tool_call"}, {"id", "c1"}, {"name", "tool.bench.read"}, {"arguments", {{"path", "a.txt"}}}});
        } else {
            on_event({{"type", "text_delta"}, {"text", "done"}});
            content.push_back({{"type", "text"}, {"text", "done"}});
        }
        Json result{{"message", {{"role", "assistant"}, {"content", content}}},
                    {"stopReason", wants_tool ? "tool_use" : "end_turn"},
                    {"usage", {{"inputTokens", 100}, {"outputTokens", 10}}},
                    {"costUsd", 0.0},
                    {"attempts", 1},
                    {"provider", "llm.bench"},
                    {"model", "instant"}};
        model_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - t0).count();
        return result;
    }
    void cancel(const std::string&) override {}
    int64_t model_ns() const { return model_ns_.load(); }

private:
    std::atomic<int64_t> model_ns_{0};
};

class ReadTool final : public cowork::sdk::ToolProvider {
public:
    cowork::sdk::Json list_tools(const cowork::sdk::Json&, cowork::sdk::Events&) override {
        return {{"tools", Json::array({{{"name", "read"},
                                        {"description", "read a file"},
                                        {"inputSchema", {{"type", "object"}, {"properties", {{"path", {{"type", "string"}}}}}}},
                                        {"annotations", {{"readOnly", true}, {"approval", "none"}}}}})}};
    }
    cowork::sdk::Json call_tool(const cowork::sdk::Json& request, cowork::sdk::Events&) override {
        const std::string path = request["arguments"].value("path", "");
        ++calls;
        return {{"content", Json::array({{{"type", "text"}, {"text", "contents of " + path}}})}, {"isError", false}};
    }
    std::atomic<int> calls{0};
};

struct Rig {
    fs::path dir;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<policy::PolicyEngine> policy;
    ReadTool tool;
    InstantLlm llm;
    std::unique_ptr<ToolRegistry> registry;
    std::unique_ptr<AgentRuntime> runtime;

    explicit Rig(int concurrency) {
        std::string pattern = (fs::temp_directory_path() / "cowork-bench-agent-XXXXXX").string();
        dir = mkdtemp(pattern.data());
        fs::create_directories(dir / "ws");
        storage::Migrations m;
        (void)m.add(storage::kernel_migrations());
        db = std::move(storage::Database::open({.path = dir / "cowork.db"}, m)).value();
        policy = std::move(policy::PolicyEngine::create(std::move(policy::PolicyRules::with_builtin(Json::object())).value(),
                                                        nullptr))
                     .value();
        registry = std::make_unique<ToolRegistry>(
            [this](const std::string& iface) {
                std::vector<std::pair<std::string, const void*>> out;
                if (iface == COWORK_IFACE_TOOL_PROVIDER) out.emplace_back("tool.bench", tool.tool_table());
                return out;
            },
            *policy, 32768);
        Settings s;
        s.max_concurrent_tasks = concurrency;
        runtime = std::move(AgentRuntime::create(RuntimeDeps{*db, nullptr, *registry, llm, dir / "runtimes"}, s)).value();
        storage::Workspace w;
        w.name = "ws";
        w.path = fs::canonical(dir / "ws").string();
        w.permissions = {{"read", true}, {"write", true}};
        (void)storage::WorkspaceRepo(*db).create(w).get();
    }
    ~Rig() {
        runtime.reset();
        db.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }

    std::string create(const std::string& prompt) {
        CreateTask req;
        req.prompt = prompt;
        req.workspace = (dir / "ws").string();
        req.caller_id = "bench";
        req.caller = {"operator", {"read", "write"}};
        auto t = runtime->create_task(req);
        if (!t) {
            std::fprintf(stderr, "task.create failed: %s\n", t.error().message.c_str());
            std::exit(1);
        }
        return t->id;
    }
    bool wait_done(const std::string& id) {
        auto s = runtime->wait_for(id, [](TaskState st) { return !is_active(st); }, std::chrono::minutes(5));
        return s == TaskState::completed;
    }
};

struct Batch {
    double seconds = 0;      // wall time, model time subtracted
    uint64_t allocations = 0;
    int failed = 0;
};

// Creates `tasks` tasks up front, waits for every one; all figures per batch.
Batch run_batch(Rig& rig, int tasks, const std::string& prompt) {
    const int64_t model_before = rig.llm.model_ns();
    const uint64_t allocs_before = allocation_count();
    const auto t0 = Clock::now();
    std::vector<std::string> ids;
    ids.reserve(static_cast<size_t>(tasks));
    for (int i = 0; i < tasks; ++i) ids.push_back(rig.create(prompt));
    Batch b;
    for (const auto& id : ids) b.failed += rig.wait_done(id) ? 0 : 1;
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    b.seconds = wall - static_cast<double>(rig.llm.model_ns() - model_before) / 1e9;
    b.allocations = allocation_count() - allocs_before;
    return b;
}

}  // namespace

int main() {
    setup_logging({.level = "warn"});
    constexpr int kTasks = 400;
    {
        // Concurrency 1: tasks run one after another, so wall time is the sum of their turns.
        Rig rig(1);
        (void)run_batch(rig, 20, "tool warm-up");  // first-use costs (statement cache, pages)
        const Batch text = run_batch(rig, kTasks, "text only: answer");
        const int calls_before = rig.tool.calls.load();
        const Batch tool = run_batch(rig, kTasks, "tool then answer");
        if (rig.tool.calls.load() - calls_before != kTasks) std::printf("  [the fake tool was not called once per task]\n");
        const double text_us = text.seconds / kTasks * 1e6;
        const double tool_us = tool.seconds / kTasks * 1e6;
        std::printf("agent runtime, zero-latency model, %d tasks per figure, model time subtracted\n", kTasks);
        std::printf("  1-turn task, no tool call (create + turn + complete) %9.1f us  %7.0f allocs%s\n", text_us,
                    static_cast<double>(text.allocations) / kTasks, text.failed ? "  [FAILURES]" : "");
        std::printf("  + 1 turn with one read-only tool call (marginal)    %9.1f us  %7.0f allocs%s\n", tool_us - text_us,
                    (static_cast<double>(tool.allocations) - static_cast<double>(text.allocations)) / kTasks,
                    tool.failed ? "  [FAILURES]" : "");
        std::printf("  2-turn task (tool turn + final turn)                %9.1f us  %7.0f allocs\n", tool_us,
                    static_cast<double>(tool.allocations) / kTasks);
    }
    for (int concurrency : {1, 8}) {
        Rig rig(concurrency);
        (void)run_batch(rig, 20, "tool warm-up");
        const auto t0 = Clock::now();
        const Batch b = run_batch(rig, kTasks, "tool then answer");
        const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf("  tasks/s at concurrency %d (2 turns each)            %9.0f tasks/s%s\n", concurrency, kTasks / wall,
                    b.failed ? "  [FAILURES]" : "");
    }
    return 0;
}
