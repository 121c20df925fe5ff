// The cron service and the outbox in the kernel (docs/cron.md): their
// start-up, and the cron.* / outbox.* API methods.
#include "app/kernel_impl.hpp"

#include "core/log.hpp"
#include "cron/trigger_secret.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace cowork::kernel::app {
namespace {

using api::Caller;

// A workspace reference a task could run in: a registered workspace, by id
// or by its folder (the rule task.create applies when the job runs).
Status check_workspace(Kernel::Impl& k, const std::string& ref) {
    if (!k.agent) return make_error("agent.unavailable", "the agent runtime is unavailable: " + k.agent_problem);
    auto all = k.agent->workspaces().list();
    if (!all) return all.error();
    const bool by_id = ref.rfind("ws_", 0) == 0;
    std::error_code ec;
    const std::string canonical = by_id ? "" : std::filesystem::canonical(ref, ec).string();
    for (const auto& w : *all)
        if ((by_id && w.id == ref) || (!by_id && !ec && w.path == canonical)) return ok_status();
    if (by_id) return make_error("workspace.unknown", "no workspace " + ref + " (see `cowork api call workspace.list`)");
    if (ec || !std::filesystem::is_directory(canonical))
        return make_error("workspace.unknown", ref + " is not an existing folder; pass a workspace id (ws_…) or a folder");
    return make_error("workspace.unknown", "the folder " + canonical + " is not a registered workspace; register it "
                                           "with workspace.create {path}");
}

Result<cron::CronService*> service(Kernel::Impl& k) {
    if (!k.cron) return make_error(api::kMethodFailed, "the cron service is unavailable: " + k.cron_problem);
    return k.cron.get();
}

Result<outbox::Outbox*> outbox_of(Kernel::Impl& k) {
    if (!k.outbox) return make_error(api::kMethodFailed, "the outbox is unavailable (the kernel did not finish booting)");
    return k.outbox.get();
}

// Read-only callers see when and how jobs run, not their prompts or folders.
Json redact_job(Json job) {
    job.erase("prompt");
    job.erase("workspace");
    if (job.contains("delivery")) job["delivery"].erase("to");
    return job;
}

Result<Json> redacted_jobs(Result<Json> r, const Caller& c) {
    if (!r || !c.redacted()) return r;
    if (r->is_array())
        for (auto& j : *r) j = redact_job(std::move(j));
    else
        *r = redact_job(std::move(*r));
    return r;
}

using CronCall = Result<Json> (cron::CronService::*)(const Json&);

void add_cron_method(Kernel::Impl& k, const char* name, const char* summary, CronCall call) {
    (void)k.api.add({name, api::kScopeWrite, true, summary}, [&k, call](const Caller&, const Json& p) -> Result<Json> {
        auto s = service(k);
        if (!s) return s.error();
        return ((*s)->*call)(p.is_null() ? Json::object() : p);
    });
}

}  // namespace

// Before plugins start, so the channels can install the outbox's sender.
void Kernel::Impl::start_outbox() {
    outbox = std::make_unique<outbox::Outbox>(*db, clock, bus.get());
    if (options.plugin_stage != PluginStage::Running) return;  // the CLI enqueues; coworkd sends
    if (auto n = outbox->recover(); !n) logger()->warn("outbox: boot recovery: {}", n.error().message);
    outbox_worker = std::make_unique<outbox::OutboxWorker>(*outbox);
    outbox_worker->start();
}

// After plugins start: the first tick may start tasks that need providers.
void Kernel::Impl::start_cron() {
    cron::CronDeps deps{*db,
                        api,
                        clock,
                        outbox.get(),
                        bus.get(),
                        [this](const std::string& ref) { return check_workspace(*this, ref); },
                        [this]() -> Result<std::string> {
                            if (!secrets) return make_error("secrets.unavailable", "secrets are unavailable: " + secrets_problem);
                            return secrets->get(cron::kTriggerSecretKey);
                        },
                        [this](const std::string& channel_id) -> Status {
                            // The channels own their ids; ask them through the API when they are there.
                            if (!api.has("channel.get")) return ok_status();
                            auto found = api.call(api::Caller::system("cron"), "channel.get", Json{{"id", channel_id}});
                            if (!found) return make_error("channel.unknown", found.error().message + " (see channel.list)");
                            return ok_status();
                        }};
    cron::CronOptions o;
    o.drive = options.plugin_stage == PluginStage::Running;
    o.max_concurrent_runs = static_cast<int>(config.scheduler.max_concurrent_cron_runs);
    auto created = cron::CronService::create(std::move(deps), o);
    if (!created) {
        cron_problem = created.error().message;
        logger()->error("cron service unavailable: {}", cron_problem);
        return;
    }
    cron = std::move(created).value();
    if (!o.drive) return;
    cron_driver = std::make_unique<cron::CronDriver>(*cron, *timers);
    cron_driver->start();
}

void register_cron_methods(Kernel::Impl& k) {
    using namespace api;
    auto& a = k.api;
    (void)a.add({"cron.list", kScopeRead, false, "cron jobs with their state"}, [&k](const Caller& c, const Json&) {
        auto s = service(k);
        return s ? redacted_jobs((*s)->list(), c) : Result<Json>(s.error());
    });
    (void)a.add({"cron.get", kScopeRead, false, "one cron job: {id} (id or name)"}, [&k](const Caller& c, const Json& p) {
        auto s = service(k);
        return s ? redacted_jobs((*s)->get(p), c) : Result<Json>(s.error());
    });
    (void)a.add({"cron.runs", kScopeRead, false, "a job's run history, newest first: {id, limit?}"},
                [&k](const Caller&, const Json& p) {
                    auto s = service(k);
                    return s ? (*s)->runs(p) : Result<Json>(s.error());
                });
    add_cron_method(k, "cron.add", "add a cron job: {name, schedule, prompt, workspace, …} (docs/cron.md)",
                    &cron::CronService::add);
    add_cron_method(k, "cron.update", "change some fields of a cron job: {id, …fields}", &cron::CronService::update);
    add_cron_method(k, "cron.remove", "delete a cron job and its history: {id}", &cron::CronService::remove);
    add_cron_method(k, "cron.run", "run a cron job now: {id, force?}", &cron::CronService::run);
    add_cron_method(k, "cron.wake", "run the runOnWake jobs with a text: {text, mode: \"now\"|\"next\"}",
                    &cron::CronService::wake);
    add_cron_method(k, "cron.trigger", "run a job from a webhook: {jobId|jobName, secret} (secret cron.trigger_secret)",
                    &cron::CronService::trigger);

    (void)a.add({"outbox.list", kScopeRead, false, "queued deliveries, newest first: {state?, limit?}"},
                [&k](const Caller& c, const Json& p) -> Result<Json> {
                    auto o = outbox_of(k);
                    if (!o) return o.error();
                    std::optional<std::string> state;
                    if (p.is_object() && p.contains("state") && p["state"].is_string()) state = p["state"].get<std::string>();
                    static const std::set<std::string> kStates{"pending", "sending", "delivered", "dead_letter"};
                    if (state && !kStates.contains(*state))
                        return make_error(kInvalidParams, "params.state must be pending, sending, delivered or dead_letter",
                                          Json{{"field", "state"}});
                    auto items = (*o)->list(state, std::clamp(p.is_object() ? p.value("limit", 100) : 100, 1, 1000));
                    if (!items) return items.error();
                    Json out = Json::array();
                    for (const auto& it : *items) {
                        Json j = it.to_json();
                        if (c.redacted()) {  // the message and its recipient are the user's
                            j.erase("text");
                            j.erase("to");
                        }
                        out.push_back(std::move(j));
                    }
                    return out;
                });
    (void)a.add({"outbox.retry", kScopeWrite, true, "send a dead letter again: {id}"},
                [&k](const Caller&, const Json& p) -> Result<Json> {
                    auto o = outbox_of(k);
                    if (!o) return o.error();
                    const std::string id = p.is_object() ? p.value("id", "") : "";
                    if (id.empty()) return make_error(kInvalidParams, "params.id (from outbox.list) is required", Json{{"field", "id"}});
                    auto item = (*o)->retry(id);
                    if (!item) return make_error(kInvalidParams, item.error().message, Json{{"field", "id"}});
                    return item->to_json();
                });
}

}  // namespace cowork::kernel::app
