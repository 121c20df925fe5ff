// API methods of the agent runtime: tasks, approvals, workspaces.
// `read` callers see redacted tasks (no prompt, no local paths).
#include "app/kernel_impl.hpp"

#include "skills/catalog.hpp"

#include <filesystem>

namespace cowork::kernel::app {
namespace {

using api::Caller;
using api::kInvalidParams;

// Event types whose payloads never hold prompts, paths or tool arguments.
bool safe_for_readers(const std::string& type) {
    return type == "task.state" || type == "llm.call" || type == "guardrail" || type == "approval.decided" ||
           type == "plan.updated" || type == "context.compacted";
}

Json redact_task(Json task) {
    // A task created without a title is titled with its prompt's first
    // line: then the title is the prompt, and readers must not see it.
    const std::string prompt = task.value("prompt", "");
    const std::string title = task.value("title", "");
    if (!title.empty() && prompt.rfind(title, 0) == 0) task["title"] = "(untitled task)";
    task.erase("prompt");
    task.erase("source");
    if (task["result"].is_object()) task["result"].erase("text");
    return task;
}

Json workspace_json(const storage::Workspace& w, bool redacted) {
    Json j{{"id", w.id}, {"name", w.name}, {"permissions", w.permissions}, {"createdAt", w.created_at}, {"updatedAt", w.updated_at}};
    if (!redacted) j["path"] = w.path;
    return j;
}

Result<agent::AgentRuntime*> runtime(Kernel::Impl& k) {
    if (!k.agent) return make_error(api::kMethodFailed, "the agent runtime is unavailable: " + k.agent_problem);
    return k.agent.get();
}

Result<std::string> required(const Json& p, const char* key, const char* what) {
    const std::string v = p.is_object() && p.contains(key) && p[key].is_string() ? p[key].get<std::string>() : "";
    if (v.empty()) return make_error(kInvalidParams, std::string("params.") + key + " (" + what + ") is required");
    return v;
}

// The skills a task in `workspace_dir` can use: workspace > user > bundled.
skills::Catalog skill_catalog(const Kernel::Impl& k, const std::filesystem::path& workspace_dir) {
    return skills::load_catalog(skills::standard_skill_roots(workspace_dir, k.paths.data_dir / "skills",
                                                             executable_dir().parent_path() / "share/cowork/skills"));
}

// The folder behind a workspace reference (a "ws_…" id or a path); empty
// when unknown — task creation then reports the bad reference itself.
std::filesystem::path workspace_dir(agent::AgentRuntime& rt, const std::string& ref) {
    if (ref.rfind("ws_", 0) == 0) {
        auto w = rt.workspaces().get(ref);
        return w && *w ? std::filesystem::path((*w)->path) : std::filesystem::path();
    }
    std::error_code ec;
    auto canonical = std::filesystem::canonical(ref, ec);
    return ec ? std::filesystem::path() : canonical;
}

// task.create {skill, params}: the prompt becomes the skill's rendered
// template, followed by the caller's own prompt (extra instructions) if any.
Status apply_skill(Kernel::Impl& k, agent::AgentRuntime& rt, agent::CreateTask& req) {
    const auto catalog = skill_catalog(k, workspace_dir(rt, req.workspace));
    const skills::Skill* skill = catalog.find(req.skill);
    if (!skill) return make_error(kInvalidParams, "no skill '" + req.skill + "' for this workspace (see `cowork skills`)");
    if (!skill->enabled) return make_error(kInvalidParams, "skill '" + req.skill + "' is disabled (" + skill->file.string() + ")");
    auto rendered = skills::render(*skill, req.params);
    if (!rendered) return make_error(kInvalidParams, rendered.error().message);
    req.prompt = req.prompt.empty() ? *rendered : *rendered + "\n\n" + req.prompt;
    if (req.title.empty()) req.title = skill->name.empty() ? skill->id : skill->name;
    req.source["skill"] = skill->id;
    req.source["skillSource"] = skill->source;
    return ok_status();
}

Result<Json> create_task(Kernel::Impl& k, const Caller& caller, const Json& p) {
    auto rt = runtime(k);
    if (!rt) return rt.error();
    agent::CreateTask req;
    req.prompt = p.value("prompt", "");
    req.title = p.value("title", "");
    req.workspace = p.value("workspace", "");
    req.provider = p.value("provider", "");
    req.model = p.value("model", "");
    req.skill = p.value("skill", "");
    req.budget = p.value("budget", Json::object());
    req.params = p.value("params", Json::object());
    req.source = {{"transport", caller.transport}};
    // What started the task, as its frontend tells it (a cron job and run, a
    // webhook path): kept under "origin" so it can never overwrite the
    // transport the kernel itself recorded.
    if (p.contains("source")) {
        if (!p["source"].is_object() || p["source"].dump().size() > 4096)
            return make_error(kInvalidParams, "params.source must be a JSON object of at most 4 KB");
        req.source["origin"] = p["source"];
    }
    req.caller_id = caller.id;
    req.caller = {caller.role, caller.scopes};
    if (req.workspace.empty()) return make_error(kInvalidParams, "params.workspace (a workspace id or folder) is required");
    if (!req.skill.empty())
        if (auto st = apply_skill(k, **rt, req); !st) return st.error();
    auto t = (*rt)->create_task(req);
    if (!t) return t.error();
    return agent::task_to_json(*t);
}

Result<Json> list_tasks(Kernel::Impl& k, const Caller& caller, const Json& p) {
    auto rt = runtime(k);
    if (!rt) return rt.error();
    storage::TaskFilter f;
    if (p.contains("status") && p["status"].is_string()) f.statuses.push_back(p["status"]);
    if (p.contains("workspaceId") && p["workspaceId"].is_string()) f.workspace_id = p["workspaceId"].get<std::string>();
    f.limit = std::clamp(p.value("limit", 50), 1, 1000);
    auto tasks = (*rt)->recorder().tasks().list(f);
    if (!tasks) return tasks.error();
    Json out = Json::array();
    for (const auto& t : *tasks) out.push_back(caller.redacted() ? redact_task(agent::task_to_json(t)) : agent::task_to_json(t));
    return out;
}

Result<Json> get_task(Kernel::Impl& k, const Caller& caller, const Json& p) {
    auto rt = runtime(k);
    if (!rt) return rt.error();
    auto id = required(p, "id", "a task id");
    if (!id) return id.error();
    auto t = (*rt)->recorder().tasks().get(*id);
    if (!t) return t.error();
    if (!*t) return make_error(kInvalidParams, "no task " + *id + " (see `cowork task list`)");
    Json j = agent::task_to_json(**t);
    auto pending = (*rt)->approvals().repo().list_pending(*id);
    j["pendingApprovals"] = pending ? pending->size() : 0;
    return caller.redacted() ? redact_task(std::move(j)) : j;
}

Result<Json> task_events(Kernel::Impl& k, const Caller& caller, const Json& p) {
    auto rt = runtime(k);
    if (!rt) return rt.error();
    auto id = required(p, "id", "a task id");
    if (!id) return id.error();
    auto events = (*rt)->recorder().journal().list_after(*id, p.value("afterSeq", int64_t{0}),
                                                         std::clamp(p.value("limit", 1000), 1, 10000));
    if (!events) return events.error();
    Json out = Json::array();
    for (const auto& e : *events) {
        Json payload = caller.redacted() && !safe_for_readers(e.type) ? Json{{"redacted", true}} : e.payload;
        out.push_back({{"seq", e.seq}, {"ts", e.ts}, {"type", e.type}, {"payload", std::move(payload)}});
    }
    return out;
}

Result<Json> respond(Kernel::Impl& k, const Caller& caller, const Json& p) {
    auto rt = runtime(k);
    if (!rt) return rt.error();
    auto id = required(p, "approvalId", "from approval.list");
    if (!id) return id.error();
    const std::string decision = p.value("decision", "");
    if (decision != "approve" && decision != "deny")
        return make_error(kInvalidParams, "params.decision must be \"approve\" or \"deny\"");
    auto a = (*rt)->respond(*id, decision == "approve", caller.id, p.value("reason", ""));
    if (!a) return a.error();
    return Json{{"approvalId", a->id}, {"taskId", a->task_id}, {"status", a->status}, {"decidedBy", a->decided_by.value_or("")}};
}

Result<Json> list_approvals(Kernel::Impl& k, const Caller& caller, const Json& p) {
    auto rt = runtime(k);
    if (!rt) return rt.error();
    std::optional<std::string> task;
    if (p.contains("taskId") && p["taskId"].is_string()) task = p["taskId"].get<std::string>();
    auto list = (*rt)->approvals().repo().list_pending(task);
    if (!list) return list.error();
    Json out = Json::array();
    for (const auto& a : *list) {
        Json j{{"id", a.id}, {"taskId", a.task_id}, {"tool", a.tool}, {"status", a.status}, {"createdAt", a.created_at},
               {"expiresAt", a.expires_at.value_or(0)}};
        if (!caller.redacted()) j["request"] = a.request;
        out.push_back(std::move(j));
    }
    return out;
}

Result<Json> create_workspace(Kernel::Impl& k, const Json& p) {
    auto rt = runtime(k);
    if (!rt) return rt.error();
    auto path = required(p, "path", "an existing folder");
    if (!path) return path.error();
    std::error_code ec;
    const auto canonical = std::filesystem::canonical(*path, ec);
    if (ec || !std::filesystem::is_directory(canonical))
        return make_error(kInvalidParams, "workspace " + *path + " is not an existing directory");
    storage::Workspace w;
    w.path = canonical.string();
    w.name = p.value("name", canonical.filename().string());
    // Reading and writing inside the folder; policy still asks before writes
    // by default. Delete, shell and network must be granted explicitly.
    w.permissions = {{"read", true}, {"write", true}, {"delete", false}, {"shell", false}, {"network", false}};
    if (p.contains("permissions") && p["permissions"].is_object())
        for (const auto& [key, v] : p["permissions"].items()) w.permissions[key] = v;
    auto created = (*rt)->workspaces().create(w).get();
    if (!created) return created.error();
    return workspace_json(*created, false);
}

}  // namespace

void register_task_methods(Kernel::Impl& k) {
    using namespace api;
    // The system prompt lists the skills of the task's workspace, so the
    // model knows they exist (capped: a big catalog must not crowd the task).
    if (k.agent)
        k.agent->set_skills_prompt([&k](const agent::TaskSpec& spec) {
            return skills::prompt_listing(skill_catalog(k, spec.workspace));
        });
    auto& a = k.api;
    auto by = [](const Caller& c) { return c.id; };
    (void)a.add({"task.create", kScopeWrite, true, "start an agent task: {prompt, workspace, title?, provider?, model?, budget?, skill?, params?}"},
                [&k](const Caller& c, const Json& p) { return create_task(k, c, p); });
    (void)a.add({"task.list", kScopeRead, false, "tasks, newest first: {status?, workspaceId?, limit?}"},
                [&k](const Caller& c, const Json& p) { return list_tasks(k, c, p); });
    (void)a.add({"task.get", kScopeRead, false, "one task: {id}"},
                [&k](const Caller& c, const Json& p) { return get_task(k, c, p); });
    (void)a.add({"task.events", kScopeRead, false, "a task's journal: {id, afterSeq?, limit?}"},
                [&k](const Caller& c, const Json& p) { return task_events(k, c, p); });
    (void)a.add({"task.cancel", kScopeWrite, true, "cancel a task: {id}"}, [&k, by](const Caller& c, const Json& p) -> Result<Json> {
        auto rt = runtime(k);
        if (!rt) return rt.error();
        auto id = required(p, "id", "a task id");
        if (!id) return id.error();
        auto t = (*rt)->cancel(*id, by(c));
        if (!t) return t.error();
        return agent::task_to_json(*t);
    });
    (void)a.add({"task.sendMessage", kScopeWrite, true, "a follow-up or an answer for a task: {id, text}"},
                [&k, by](const Caller& c, const Json& p) -> Result<Json> {
                    auto rt = runtime(k);
                    if (!rt) return rt.error();
                    auto id = required(p, "id", "a task id");
                    if (!id) return id.error();
                    return (*rt)->send_message(*id, p.value("text", ""), by(c));
                });
    (void)a.add({"task.resume", kScopeWrite, true, "continue an interrupted task from its journal: {id}"},
                [&k, by](const Caller& c, const Json& p) -> Result<Json> {
                    auto rt = runtime(k);
                    if (!rt) return rt.error();
                    auto id = required(p, "id", "a task id");
                    if (!id) return id.error();
                    auto t = (*rt)->resume(*id, by(c));
                    if (!t) return t.error();
                    return agent::task_to_json(*t);
                });
    (void)a.add({"approval.list", kScopeRead, false, "pending approvals: {taskId?}"},
                [&k](const Caller& c, const Json& p) { return list_approvals(k, c, p); });
    (void)a.add({"approval.respond", kScopeApprove, true, "decide an approval: {approvalId, decision: approve|deny, reason?}"},
                [&k](const Caller& c, const Json& p) { return respond(k, c, p); });
    (void)a.add({"workspace.list", kScopeRead, false, "registered workspaces"},
                [&k](const Caller& c, const Json&) -> Result<Json> {
                    auto rt = runtime(k);
                    if (!rt) return rt.error();
                    auto list = (*rt)->workspaces().list();
                    if (!list) return list.error();
                    Json out = Json::array();
                    for (const auto& w : *list) out.push_back(workspace_json(w, c.redacted()));
                    return out;
                });
    (void)a.add({"workspace.get", kScopeRead, false, "one workspace: {id}"},
                [&k](const Caller& c, const Json& p) -> Result<Json> {
                    auto rt = runtime(k);
                    if (!rt) return rt.error();
                    auto id = required(p, "id", "a workspace id");
                    if (!id) return id.error();
                    auto w = (*rt)->workspaces().get(*id);
                    if (!w) return w.error();
                    if (!*w) return make_error(kInvalidParams, "no workspace " + *id);
                    return workspace_json(**w, c.redacted());
                });
    (void)a.add({"workspace.create", kScopeWrite, true, "register a folder as a workspace: {path, name?, permissions?}"},
                [&k](const Caller&, const Json& p) { return create_workspace(k, p); });
}

}  // namespace cowork::kernel::app
