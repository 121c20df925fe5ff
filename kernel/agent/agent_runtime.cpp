#include "agent/agent_runtime.hpp"

#include "core/log.hpp"
#include "storage/ids.hpp"

#include <thread>

namespace cowork::kernel::agent {
namespace {

constexpr const char* kInvalidParams = "INVALID_PARAMS";

std::optional<TaskState> state_of(const storage::Task& t) { return parse_task_state(t.status); }

std::string first_line(const std::string& text, size_t max) {
    std::string line = text.substr(0, text.find('\n'));
    if (line.size() > max) line = line.substr(0, max - 1) + "…";
    return line;
}

}  // namespace

std::string no_provider_help() {
    return "no LLM provider is running, so no task can run. Configure one, then try again:\n"
           "  OpenAI or a compatible server (llm.openai-compatible): export OPENAI_API_KEY=…  "
           "(and OPENAI_BASE_URL=https://…/v1 for other servers)\n"
           "  Anthropic (llm.anthropic): export ANTHROPIC_API_KEY=…\n"
           "  Ollama on this machine (llm.ollama): export OLLAMA_HOST=http://127.0.0.1:11434\n"
           "  Google Gemini (llm.gemini): export GEMINI_API_KEY=…\n"
           "Keys can instead be stored encrypted with `cowork secrets set <KEY>`, and provider settings go in "
           "cowork.toml under [providers.<name>]. Pick the provider and model with [agent] default_provider = "
           "\"llm.anthropic\" and default_model = \"…\" (or --provider/--model). `cowork plugins list` shows whether "
           "the provider plugin is Running and, if not, why.";
}

Result<std::unique_ptr<AgentRuntime>> AgentRuntime::create(RuntimeDeps deps, Settings settings) {
    auto lease = RuntimeLease::acquire(deps.lease_dir);
    if (!lease) return lease.error();
    return std::unique_ptr<AgentRuntime>(new AgentRuntime(std::move(deps), std::move(settings), std::move(*lease)));
}

AgentRuntime::AgentRuntime(RuntimeDeps deps, Settings settings, RuntimeLease lease)
    : deps_(std::move(deps)),
      settings_(std::move(settings)),
      lease_(std::move(lease)),
      recorder_(deps_.db, deps_.bus),
      approvals_(deps_.db),
      workspaces_(deps_.db),
      daily_(deps_.db, settings_.daily_cost_cap_usd),
      pool_(static_cast<size_t>(std::max(1, settings_.max_concurrent_tasks))) {}

AgentRuntime::~AgentRuntime() { stop(); }

void AgentRuntime::stop() {
    std::vector<std::shared_ptr<TaskRun>> runs;
    {
        std::lock_guard lock(mutex_);
        if (stopped_) return;
        stopped_ = true;
        for (auto& [id, run] : runs_) runs.push_back(run);
    }
    for (auto& r : runs) r->interrupt();
    pool_.join();
    // Queued tasks that never reached a worker: their runs were never started.
    std::lock_guard lock(mutex_);
    for (const auto& id : queue_)
        if (auto it = runs_.find(id); it != runs_.end() && it->second->state() == TaskState::queued)
            (void)recorder_.transition(id, TaskState::queued, TaskState::interrupted, "the kernel stopped before it ran");
    queue_.clear();
    runs_.clear();
}

bool AgentRuntime::owned_elsewhere(const std::string& task_id) {
    auto events = recorder_.journal().list_after(task_id, 0, 100000);
    if (!events) return false;
    std::string runtime;
    for (const auto& e : *events)
        if (e.type == "task.claimed") runtime = e.payload.value("runtime", "");
    return runtime != lease_.id() && RuntimeLease::is_alive(deps_.lease_dir, runtime);
}

Result<std::vector<std::string>> AgentRuntime::recover() {
    storage::TaskFilter filter;
    for (auto s : {TaskState::pending, TaskState::queued, TaskState::planning, TaskState::executing, TaskState::paused,
                   TaskState::blocked})
        filter.statuses.emplace_back(to_string(s));
    filter.limit = 100000;
    auto tasks = recorder_.tasks().list(filter);
    if (!tasks) return tasks.error();
    std::vector<std::string> interrupted;
    for (const auto& t : *tasks) {
        if (owned_elsewhere(t.id)) continue;  // a live kernel runs it
        {
            std::lock_guard lock(mutex_);
            if (runs_.count(t.id)) continue;
        }
        const auto from = state_of(t).value_or(TaskState::queued);
        // pending → interrupted is not a lifecycle edge: a task that never queued failed to start.
        const TaskState to = from == TaskState::pending ? TaskState::failed : TaskState::interrupted;
        auto r = recorder_.transition(t.id, from, to, "found " + t.status + " at boot: its kernel stopped without finishing it",
                                      std::nullopt, to == TaskState::failed ? std::optional<std::string>("never started")
                                                                            : std::nullopt);
        if (r) interrupted.push_back(t.id);
        for (const auto& a : approvals_.repo().list_pending(t.id).value_or(std::vector<storage::Approval>{}))
            (void)approvals_.repo().decide(a.id, false, "kernel", "the task was interrupted").get();
    }
    if (!interrupted.empty()) logger()->info("agent: {} unfinished tasks marked interrupted (cowork task resume ID)", interrupted.size());
    return interrupted;
}

Result<std::pair<std::string, Json>> AgentRuntime::resolve_workspace(const std::string& ref, std::string& workspace_id) {
    auto all = workspaces_.list();
    if (!all) return all.error();
    std::error_code ec;
    const bool by_id = ref.rfind("ws_", 0) == 0;
    const std::string canonical = by_id ? "" : std::filesystem::canonical(ref.empty() ? "." : ref, ec).string();
    for (const auto& w : *all)
        if ((by_id && w.id == ref) || (!by_id && w.path == canonical)) {
            workspace_id = w.id;
            return std::make_pair(w.path, w.permissions);
        }
    if (by_id) return make_error(kInvalidParams, "no workspace " + ref + " (see `cowork api call workspace.list`)");
    if (ec || !std::filesystem::is_directory(canonical))
        return make_error(kInvalidParams, "workspace " + ref + " is not an existing directory");
    return make_error(kInvalidParams, "the folder " + canonical + " is not a registered workspace; register it with "
                                      "workspace.create {path} (cowork run does this for you)",
                      {{"path", canonical}});
}

Result<storage::Task> AgentRuntime::create_task(const CreateTask& req) {
    if (req.prompt.empty()) return make_error(kInvalidParams, "params.prompt (what the agent should do) is required");
    if (deps_.llm.providers().empty()) return make_error("NO_LLM_PROVIDER", no_provider_help());
    std::string workspace_id;
    auto ws = resolve_workspace(req.workspace, workspace_id);
    if (!ws) return ws.error();
    TaskSpec spec;
    spec.title = req.title.empty() ? first_line(req.prompt, 80) : req.title;
    spec.prompt = req.prompt;
    spec.workspace = ws->first;
    spec.workspace_id = workspace_id;
    spec.workspace_permissions = ws->second;
    spec.caller = req.caller;
    spec.caller_id = req.caller_id;
    spec.model = {req.provider.empty() ? settings_.default_provider : req.provider,
                  req.model.empty() && req.provider.empty() ? settings_.default_model : req.model};
    if (auto resolved = deps_.llm.resolve(spec.model); !resolved) return resolved.error();
    spec.budget = settings_.budget.narrowed_by(req.budget);
    spec.skill = req.skill;
    spec.params = req.params.is_object() ? req.params : Json::object();

    storage::Task row;
    row.title = spec.title;
    row.prompt = spec.prompt;
    row.workspace_id = workspace_id;
    row.status = std::string(to_string(TaskState::pending));
    row.source = req.source.is_object() ? req.source : Json::object();
    row.source["caller"] = req.caller_id;
    row.budget = spec.budget.to_json();
    auto created = recorder_.tasks().create(row).get();
    if (!created) return created;
    spec.id = created->id;
    (void)recorder_.event(spec.id, "task.created", spec.created_payload());
    (void)recorder_.event(spec.id, "task.claimed", {{"runtime", lease_.id()}});
    (void)recorder_.event(spec.id, "user.message", {{"text", spec.prompt}});
    recorder_.publish("task.created", task_to_json(*created));
    auto queued = recorder_.transition(spec.id, TaskState::pending, TaskState::queued, "waiting for a worker");
    if (!queued) return queued;
    TaskHistory history;
    history.conversation.add_user(spec.prompt);
    enqueue(make_run(std::move(spec), std::move(history)));
    return queued;
}

void AgentRuntime::set_skills_prompt(std::function<std::string(const TaskSpec&)> hook) {
    std::lock_guard lock(mutex_);
    deps_.skills_prompt = std::move(hook);
}

std::shared_ptr<TaskRun> AgentRuntime::make_run(TaskSpec spec, TaskHistory history) {
    std::function<std::string(const TaskSpec&)> skills;
    {
        std::lock_guard lock(mutex_);
        skills = deps_.skills_prompt;
    }
    return std::make_shared<TaskRun>(
        RunDeps{recorder_, deps_.tools, deps_.llm, approvals_, settings_, [this](double c) { return daily_.add(c); },
                std::move(skills)},
        std::move(spec), std::move(history), TaskState::queued);
}

void AgentRuntime::enqueue(std::shared_ptr<TaskRun> run) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(run->id());
        runs_[run->id()] = std::move(run);
    }
    pump();
}

void AgentRuntime::pump() {
    std::lock_guard lock(mutex_);
    while (!stopped_ && running_ < settings_.max_concurrent_tasks && !queue_.empty()) {
        auto it = runs_.find(queue_.front());
        queue_.pop_front();
        if (it == runs_.end()) continue;
        ++running_;
        asio::post(pool_, [this, run = it->second] {
            try {
                run->run();
            } catch (const std::exception& e) {
                logger()->error("task {}: the loop threw: {}", run->id(), e.what());
            }
            finished(run->id());
        });
    }
}

void AgentRuntime::finished(const std::string& task_id) {
    {
        std::lock_guard lock(mutex_);
        --running_;
        runs_.erase(task_id);
    }
    pump();
}

Result<TaskSpec> AgentRuntime::load_spec(const storage::Task& task) {
    auto events = recorder_.journal().list_after(task.id, 0, 1);
    if (!events) return events.error();
    if (events->empty() || events->front().type != "task.created")
        return make_error("task.not_resumable", "task " + task.id + " has no task.created event to resume from");
    TaskSpec spec = TaskSpec::from_created(task.id, task.prompt, events->front().payload);
    if (task.workspace_id)
        if (auto ws = workspaces_.get(*task.workspace_id); ws && *ws) spec.workspace_permissions = (*ws)->permissions;
    return spec;
}

Result<storage::Task> AgentRuntime::cancel(const std::string& task_id, const std::string& by) {
    // The stored state decides first: a run that has just ended may still be
    // winding down in memory.
    auto task = recorder_.tasks().get(task_id);
    if (!task) return task.error();
    if (!*task) return make_error(kInvalidParams, "no task " + task_id);
    const auto state = state_of(**task).value_or(TaskState::failed);
    if (is_terminal(state)) return make_error(kInvalidParams, "task " + task_id + " already ended (" + (*task)->status + ")");
    std::shared_ptr<TaskRun> run;
    {
        std::lock_guard lock(mutex_);
        if (auto it = runs_.find(task_id); it != runs_.end()) run = it->second;
    }
    if (run) return cancel_run(task_id, *run, by);
    if (is_active(state) && owned_elsewhere(task_id))
        return make_error("task.owned_elsewhere", "task " + task_id + " runs in another CoWork process; cancel it there");
    (void)recorder_.event(task_id, "task.cancel_requested", {{"by", by}});
    return recorder_.transition(task_id, state, TaskState::cancelled, "cancelled by " + by);
}

Result<storage::Task> AgentRuntime::cancel_run(const std::string& task_id, TaskRun& run, const std::string& by) {
    bool never_started = false;
    {
        std::lock_guard lock(mutex_);
        never_started = std::erase(queue_, task_id) > 0;  // still waiting: no worker will pick it up
        if (never_started) runs_.erase(task_id);
    }
    (void)recorder_.event(task_id, "task.cancel_requested", {{"by", by}});
    if (never_started) return recorder_.transition(task_id, TaskState::queued, TaskState::cancelled, "cancelled by " + by);
    run.cancel();
    wait_for(task_id, [](TaskState s) { return !is_active(s); }, std::chrono::seconds(30));
    auto t = recorder_.tasks().get(task_id);
    if (!t) return t.error();
    if (!*t) return make_error(kInvalidParams, "no task " + task_id);
    return **t;
}

Result<Json> AgentRuntime::send_message(const std::string& task_id, const std::string& text, const std::string& by) {
    if (text.empty()) return make_error(kInvalidParams, "params.text is required");
    auto task = recorder_.tasks().get(task_id);
    if (!task) return task.error();
    if (!*task) return make_error(kInvalidParams, "no task " + task_id);
    if (is_terminal(state_of(**task).value_or(TaskState::failed)))
        return make_error(kInvalidParams, "task " + task_id + " already ended (" + (*task)->status +
                                              "); create a new task to continue the work");
    QueuedMessage m{storage::new_id("msg_"), text};
    (void)recorder_.event(task_id, "message.queued", {{"id", m.id}, {"text", text}, {"by", by}}).get();
    std::shared_ptr<TaskRun> run;
    {
        std::lock_guard lock(mutex_);
        if (auto it = runs_.find(task_id); it != runs_.end()) run = it->second;
    }
    if (run) run->post_message(m);
    return Json{{"taskId", task_id},
                {"messageId", m.id},
                {"delivered", run ? "next turn" : "when the task is resumed (cowork task resume " + task_id + ")"}};
}

Result<storage::Task> AgentRuntime::resume(const std::string& task_id, const std::string& by) {
    auto task = recorder_.tasks().get(task_id);
    if (!task) return task.error();
    if (!*task) return make_error(kInvalidParams, "no task " + task_id);
    auto state = state_of(**task).value_or(TaskState::failed);
    {
        // A finished run may still be winding down in memory; its stored
        // state is the answer then.
        std::lock_guard lock(mutex_);
        if (is_active(state) && runs_.count(task_id))
            return make_error(kInvalidParams, "task " + task_id + " is already running");
    }
    if (is_active(state) && !owned_elsewhere(task_id)) {
        // Its kernel died and no boot sweep ran since: interrupt it now.
        auto r = recorder_.transition(task_id, state, TaskState::interrupted, "its kernel stopped without finishing it");
        if (!r) return r;
        state = TaskState::interrupted;
    }
    if (state != TaskState::interrupted)
        return make_error(kInvalidParams, "only interrupted tasks can be resumed; task " + task_id + " is " + (*task)->status);
    auto spec = load_spec(**task);
    if (!spec) return spec.error();
    auto events = recorder_.journal().list_after(task_id, 0, 1000000);
    if (!events) return events.error();
    TaskHistory history = rebuild_history(*events);
    (void)recorder_.event(task_id, "task.claimed", {{"runtime", lease_.id()}, {"resumedBy", by}});
    auto queued = recorder_.transition(task_id, TaskState::interrupted, TaskState::queued, "resumed by " + by);
    if (!queued) return queued;
    enqueue(make_run(std::move(*spec), std::move(history)));
    return queued;
}

Result<storage::Approval> AgentRuntime::respond(const std::string& approval_id, bool approve, const std::string& by,
                                                const std::string& reason) {
    auto a = approvals_.respond(approval_id, approve, by, reason);
    if (!a && a.error().code == "storage.not_found")
        return make_error(kInvalidParams, "no approval " + approval_id + " (see `cowork approvals`)");
    return a;
}

std::optional<TaskState> AgentRuntime::wait_for(const std::string& task_id, const std::function<bool(TaskState)>& done,
                                                std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::optional<TaskState> last;
    while (true) {
        if (auto t = recorder_.tasks().get(task_id); t && *t) last = state_of(**t);
        if ((last && done(*last)) || std::chrono::steady_clock::now() >= deadline) return last;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

}  // namespace cowork::kernel::agent
