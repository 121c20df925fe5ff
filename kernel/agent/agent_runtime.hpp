// kernel/agent/agent_runtime.hpp — tasks: create, queue, run, control, recover.
//
// A bounded worker pool (Settings::max_concurrent_tasks threads) runs one
// TaskRun per task; more tasks wait `queued` in FIFO order. Blocking LLM
// and tool calls happen on those workers, never on bus strands.
// Boot: recover() marks tasks whose owning runtime is gone `interrupted`.
// Stop: running tasks are interrupted (resumable), the pool joins.
#pragma once

#include "agent/approval_gate.hpp"
#include "agent/daily_cost.hpp"
#include "agent/runtime_lease.hpp"
#include "agent/task_recorder.hpp"
#include "agent/task_run.hpp"
#include "core/asio.hpp"
#include "storage/workspace_repo.hpp"

#include <filesystem>
#include <map>
#include <memory>

namespace cowork::kernel::agent {

struct RuntimeDeps {
    storage::Database& db;
    bus::EventBus* bus = nullptr;  // optional: events are journaled either way
    ToolRegistry& tools;
    LlmClient& llm;
    std::filesystem::path lease_dir;  // <data_dir>/agent/runtimes
    // Extra system-prompt text for a task (the skills it may use); may be empty.
    std::function<std::string(const TaskSpec&)> skills_prompt = {};
};

struct CreateTask {
    std::string prompt;
    std::string title;
    std::string workspace;  // a registered workspace id ("ws_…") or folder path
    std::string provider, model, skill;
    Json budget = Json::object();
    Json params = Json::object();
    Json source = Json::object();
    std::string caller_id;
    policy::Caller caller;
};

// Shown when no LLM provider runs: exactly what to configure.
std::string no_provider_help();

class AgentRuntime {
public:
    static Result<std::unique_ptr<AgentRuntime>> create(RuntimeDeps deps, Settings settings);
    ~AgentRuntime();
    AgentRuntime(const AgentRuntime&) = delete;
    AgentRuntime& operator=(const AgentRuntime&) = delete;

    // Boot sweep; returns the ids marked interrupted.
    Result<std::vector<std::string>> recover();

    Result<storage::Task> create_task(const CreateTask& request);
    Result<storage::Task> cancel(const std::string& task_id, const std::string& by);
    Result<Json> send_message(const std::string& task_id, const std::string& text, const std::string& by);
    Result<storage::Task> resume(const std::string& task_id, const std::string& by);
    Result<storage::Approval> respond(const std::string& approval_id, bool approve, const std::string& by,
                                      const std::string& reason);

    // Installs the skills hook after construction (the API layer knows the
    // skill roots); tasks created or resumed afterwards use it.
    void set_skills_prompt(std::function<std::string(const TaskSpec&)> hook);

    // [main] Interrupts every running task and joins the workers. Idempotent.
    void stop();

    // Blocks until the task is in a state `done` accepts, or the timeout passes.
    // Returns the last state seen (from the database).
    std::optional<TaskState> wait_for(const std::string& task_id, const std::function<bool(TaskState)>& done,
                                      std::chrono::milliseconds timeout);

    TaskRecorder& recorder() { return recorder_; }
    ApprovalGate& approvals() { return approvals_; }
    storage::WorkspaceRepo& workspaces() { return workspaces_; }
    const Settings& settings() const { return settings_; }
    const std::string& runtime_id() const { return lease_.id(); }

private:
    Result<storage::Task> cancel_run(const std::string& task_id, TaskRun& run, const std::string& by);
    AgentRuntime(RuntimeDeps deps, Settings settings, RuntimeLease lease);

    Result<TaskSpec> load_spec(const storage::Task& task);
    Result<std::pair<std::string, Json>> resolve_workspace(const std::string& ref, std::string& workspace_id);
    std::shared_ptr<TaskRun> make_run(TaskSpec spec, TaskHistory history);
    void enqueue(std::shared_ptr<TaskRun> run);
    void pump();
    void finished(const std::string& task_id);
    bool owned_elsewhere(const std::string& task_id);

    RuntimeDeps deps_;
    Settings settings_;
    RuntimeLease lease_;
    TaskRecorder recorder_;
    ApprovalGate approvals_;
    storage::WorkspaceRepo workspaces_;
    DailyCost daily_;
    asio::thread_pool pool_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, std::shared_ptr<TaskRun>> runs_;  // queued or running here
    std::deque<std::string> queue_;
    int running_ = 0;
    bool stopped_ = false;
};

}  // namespace cowork::kernel::agent
