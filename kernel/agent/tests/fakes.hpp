// Test doubles for the agent runtime: a scripted LLM, a fake tool plugin,
// and a harness with a real SQLite file, policy engine and runtime.
#pragma once

#include "agent/agent_runtime.hpp"
#include "agent/llm_client.hpp"
#include "policy/engine.hpp"
#include "storage/database.hpp"

#include <cowork/sdk/interfaces.hpp>

#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>

namespace cowork::kernel::agent::testing {

// One scripted model turn: given the request, produce the result (or an error).
using Turn = std::function<Result<Json>(const Json& request, const LlmClient::EventFn& on_event)>;

Json tool_call(const std::string& id, const std::string& name, Json args = Json::object());
Turn text_turn(const std::string& text, int64_t in_tokens = 10, int64_t out_tokens = 5);
Turn tool_turn(std::vector<Json> calls, int64_t in_tokens = 10, int64_t out_tokens = 5);

class ScriptedLlm final : public LlmClient {
public:
    std::deque<Turn> turns;
    int64_t context_window = 100000;

    std::vector<std::string> providers() const override { return {"llm.fake"}; }
    Result<ModelInfo> resolve(const ModelChoice& c) const override;
    Result<Json> complete(const ModelChoice& choice, Json request, const EventFn& on_event) override;
    void cancel(const std::string& request_id) override;

    // A turn that blocks until cancelled (then returns "cancelled").
    Turn blocking_turn();
    // Blocks until some call is inside a blocking_turn.
    bool wait_blocked(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    std::vector<Json> requests() const;
    std::vector<std::string> cancelled() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<Json> requests_;
    std::vector<std::string> cancelled_;
    int blocked_ = 0;
};

// tool.fake with: read (readOnly; waits for a second concurrent read up
// to 2 s, so parallel execution is observable without timing asserts),
// touch (side-effecting, allowed by a policy rule), write (side-effecting:
// policy asks), fail (isError), echo (readOnly, returns its arguments).
class FakeTools final : public sdk::ToolProvider {
public:
    sdk::Json list_tools(const sdk::Json&, sdk::Events&) override;
    sdk::Json call_tool(const sdk::Json& request, sdk::Events&) override;
    std::vector<std::string> calls() const;
    int max_concurrent() const { return max_concurrent_; }
    // What the readOnly `ask` tool does with its call_tool input; its
    // answer becomes the tool's text.
    std::function<Json(const Json& request)> ask;

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<std::string> calls_;
    int concurrent_ = 0, max_concurrent_ = 0, reads_in_ = 0;
};

class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

Settings test_settings();

struct Harness {
    explicit Harness(Settings settings = test_settings(), const std::filesystem::path& dir = {});
    ~Harness();

    std::string create(const std::string& prompt, Json budget = Json::object());
    std::vector<storage::TaskEvent> events(const std::string& task_id) const;
    std::vector<std::string> event_types(const std::string& task_id) const;
    storage::Task task(const std::string& id) const;
    TaskState wait_end(const std::string& id);
    TaskState wait_state(const std::string& id, TaskState state);
    void reopen_runtime();  // a new runtime on the same database (a restart)

    std::unique_ptr<TempDir> own_dir;
    std::filesystem::path dir;
    std::filesystem::path workspace;
    Settings settings;
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<policy::PolicyEngine> policy;
    FakeTools tools;
    ScriptedLlm llm;
    std::unique_ptr<ToolRegistry> registry;
    std::unique_ptr<AgentRuntime> runtime;
};

}  // namespace cowork::kernel::agent::testing
