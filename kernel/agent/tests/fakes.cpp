#include "fakes.hpp"

#include "storage/kernel_schema.hpp"
#include "storage/workspace_repo.hpp"

#include <cstdlib>

namespace cowork::kernel::agent::testing {

Json tool_call(const std::string& id, const std::string& name, Json args) {
    return {{"type", "tool_call"}, {"id", id}, {"name", name}, {"arguments", std::move(args)}};
}

namespace {

Json result_of(Json content, const std::string& stop, int64_t in, int64_t out) {
    return {{"message", {{"role", "assistant"}, {"content", std::move(content)}}},
            {"stopReason", stop},
            {"usage", {{"inputTokens", in}, {"outputTokens", out}}},
            {"costUsd", 0.001},
            {"attempts", 1}};
}

}  // namespace

Turn text_turn(const std::string& text, int64_t in, int64_t out) {
    return [=](const Json&, const LlmClient::EventFn& ev) -> Result<Json> {
        // Stream in small pieces: the runtime must coalesce them.
        for (size_t i = 0; i < text.size(); i += 3) ev({{"type", "text_delta"}, {"text", text.substr(i, 3)}});
        return result_of(Json::array({{{"type", "text"}, {"text", text}}}), "end_turn", in, out);
    };
}

Turn tool_turn(std::vector<Json> calls, int64_t in, int64_t out) {
    return [=](const Json&, const LlmClient::EventFn&) -> Result<Json> {
        return result_of(Json(calls), "tool_use", in, out);
    };
}

Result<ModelInfo> ScriptedLlm::resolve(const ModelChoice& c) const {
    return ModelInfo{c.provider.empty() ? "llm.fake" : c.provider, c.model.empty() ? "m1" : c.model, context_window};
}

Result<Json> ScriptedLlm::complete(const ModelChoice&, Json request, const EventFn& on_event) {
    Turn turn;
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        if (turns.empty()) return make_error("bad_request", "the script ran out of turns");
        turn = std::move(turns.front());
        turns.pop_front();
    }
    auto r = turn(request, on_event);
    if (r) (*r)["provider"] = "llm.fake";
    return r;
}

void ScriptedLlm::cancel(const std::string& request_id) {
    {
        std::lock_guard lock(mutex_);
        cancelled_.push_back(request_id);
    }
    cv_.notify_all();
}

Turn ScriptedLlm::blocking_turn() {
    return [this](const Json& request, const EventFn&) -> Result<Json> {
        std::unique_lock lock(mutex_);
        ++blocked_;
        cv_.notify_all();
        const std::string id = request.value("requestId", "");
        cv_.wait(lock, [&] { return std::find(cancelled_.begin(), cancelled_.end(), id) != cancelled_.end(); });
        return make_error("cancelled", "cancelled");
    };
}

bool ScriptedLlm::wait_blocked(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return blocked_ > 0; });
}

std::vector<Json> ScriptedLlm::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<std::string> ScriptedLlm::cancelled() const {
    std::lock_guard lock(mutex_);
    return cancelled_;
}

sdk::Json FakeTools::list_tools(const sdk::Json&, sdk::Events&) {
    auto tool = [](const char* name, bool read_only, const char* approval) {
        return Json{{"name", name},
                    {"description", std::string("fake ") + name},
                    {"inputSchema", {{"type", "object"}, {"properties", {{"path", {{"type", "string"}}}}}}},
                    {"annotations", {{"readOnly", read_only}, {"approval", approval}}}};
    };
    return {{"tools", Json::array({tool("read", true, "none"), tool("echo", true, "none"), tool("touch", false, "none"),
                                   tool("write", false, "write"), tool("fail", false, "none"), tool("ask", true, "none")})}};
}

sdk::Json FakeTools::call_tool(const sdk::Json& request, sdk::Events&) {
    const std::string name = request.value("name", "");
    const Json args = request.value("arguments", Json::object());
    if (name == "ask" && ask) return {{"content", Json::array({{{"type", "text"}, {"text", ask(request).dump()}}})}, {"isError", false}};
    std::unique_lock lock(mutex_);
    calls_.push_back(name + ":" + args.value("path", ""));
    max_concurrent_ = std::max(max_concurrent_, ++concurrent_);
    if (name == "read") {
        ++reads_in_;
        cv_.notify_all();
        cv_.wait_for(lock, std::chrono::seconds(2), [&] { return reads_in_ >= 2; });
    }
    --concurrent_;
    if (name == "fail") return {{"content", Json::array({{{"type", "text"}, {"text", "it failed"}}})}, {"isError", true}};
    std::string text = name + " " + args.value("path", "") + " ok";
    if (name == "echo") text = args.dump();
    return {{"content", Json::array({{{"type", "text"}, {"text", text}}})}, {"isError", false}};
}

std::vector<std::string> FakeTools::calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
}

TempDir::TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cowork-agent-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

Settings test_settings() {
    Settings s;
    s.max_concurrent_tasks = 4;
    s.approval_timeout = std::chrono::seconds(30);
    s.budget = Budget{20, 100000, 10.0, 60};
    return s;
}

Harness::Harness(Settings s, const std::filesystem::path& d) : settings(std::move(s)) {
    if (d.empty()) {
        own_dir = std::make_unique<TempDir>();
        dir = own_dir->path();
    } else {
        dir = d;
    }
    workspace = dir / "ws";
    std::filesystem::create_directories(workspace);
    storage::Migrations m;
    EXPECT_TRUE(m.add(storage::kernel_migrations()).ok());
    auto opened = storage::Database::open({.path = dir / "cowork.db"}, m);
    EXPECT_TRUE(opened.ok());
    db = std::move(opened).value();
    auto rules = policy::PolicyRules::with_builtin(
        Json{{"tool_rules", Json::array({{{"id", "allow-touch"}, {"decision", "allow"}, {"tool", "tool.fake.touch"}},
                                         {{"id", "allow-fail"}, {"decision", "allow"}, {"tool", "tool.fake.fail"}}})}});
    EXPECT_TRUE(rules.ok()) << (rules ? "" : rules.error().message);
    policy = std::move(policy::PolicyEngine::create(std::move(*rules), nullptr)).value();
    registry = std::make_unique<ToolRegistry>(
        [this](const std::string& iface) {
            std::vector<std::pair<std::string, const void*>> out;
            if (iface == COWORK_IFACE_TOOL_PROVIDER) out.emplace_back("tool.fake", tools.tool_table());
            return out;
        },
        *policy, 4096);
    reopen_runtime();
    storage::WorkspaceRepo repo(*db);
    auto all = repo.list();
    if (all && all->empty()) {
        storage::Workspace w;
        w.name = "ws";
        w.path = std::filesystem::canonical(workspace).string();
        w.permissions = {{"read", true}, {"write", true}};
        EXPECT_TRUE(repo.create(w).get().ok());
    }
}

Harness::~Harness() {
    runtime.reset();
    db.reset();
}

void Harness::reopen_runtime() {
    runtime.reset();
    auto rt = AgentRuntime::create(RuntimeDeps{*db, nullptr, *registry, llm, dir / "runtimes"}, settings);
    EXPECT_TRUE(rt.ok());
    runtime = std::move(rt).value();
}

std::string Harness::create(const std::string& prompt, Json budget) {
    CreateTask req;
    req.prompt = prompt;
    req.workspace = workspace.string();
    req.budget = std::move(budget);
    req.caller_id = "test";
    req.caller = {"operator", {"read", "write", "approve"}};
    auto t = runtime->create_task(req);
    EXPECT_TRUE(t.ok()) << (t ? "" : t.error().message);
    return t ? t->id : "";
}

std::vector<storage::TaskEvent> Harness::events(const std::string& id) const {
    return runtime->recorder().journal().list_after(id, 0, 100000).value_or(std::vector<storage::TaskEvent>{});
}

std::vector<std::string> Harness::event_types(const std::string& id) const {
    std::vector<std::string> types;
    for (const auto& e : events(id)) types.push_back(e.type);
    return types;
}

storage::Task Harness::task(const std::string& id) const {
    auto t = runtime->recorder().tasks().get(id);
    EXPECT_TRUE(t.ok() && *t);
    return t && *t ? **t : storage::Task{};
}

TaskState Harness::wait_end(const std::string& id) {
    auto s = runtime->wait_for(id, [](TaskState s) { return !is_active(s); }, std::chrono::seconds(20));
    return s.value_or(TaskState::pending);
}

TaskState Harness::wait_state(const std::string& id, TaskState want) {
    auto s = runtime->wait_for(id, [want](TaskState s) { return s == want || !is_active(s); }, std::chrono::seconds(20));
    return s.value_or(TaskState::pending);
}

}  // namespace cowork::kernel::agent::testing
