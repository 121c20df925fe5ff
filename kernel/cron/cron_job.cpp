// kernel/cron/cron_job.cpp
#include "cron/cron_job.hpp"

#include <set>

namespace cowork::kernel::cron {
namespace {

const std::set<std::string, std::less<>> kFields = {
    "name",    "description", "enabled",        "schedule",  "prompt",         "title",    "workspace",
    "provider", "model",      "timeoutSeconds", "runOnWake", "deleteAfterRun", "delivery", "missedRunPolicy"};

constexpr int64_t kMaxTimeoutSeconds = 7 * 24 * 3600;

Result<std::string> text(const Json& d, const char* key, bool required, size_t max_len) {
    if (!d.contains(key) || d[key].is_null()) {
        if (required) return field_error(key, "is required");
        return std::string();
    }
    if (!d[key].is_string()) return field_error(key, "must be text");
    std::string v = d[key].get<std::string>();
    if (required && v.empty()) return field_error(key, "must not be empty");
    if (v.size() > max_len) return field_error(key, "is longer than " + std::to_string(max_len) + " characters");
    return v;
}

Result<bool> flag(const Json& d, const char* key, bool fallback, const std::string& field) {
    if (!d.contains(key) || d[key].is_null()) return fallback;
    if (!d[key].is_boolean()) return field_error(field, "must be true or false");
    return d[key].get<bool>();
}

Result<std::optional<CronDelivery>> delivery_from(const Json& d) {
    if (!d.contains("delivery") || d["delivery"].is_null()) return std::optional<CronDelivery>{};
    const Json& j = d["delivery"];
    if (!j.is_object()) return field_error("delivery", "must be an object {channelId, to, onSuccess?, onError?, onlyIfResult?}");
    CronDelivery out;
    for (const char* key : {"channelId", "to"}) {
        if (!j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty())
            return field_error(std::string("delivery.") + key, "is required");
    }
    out.channel_id = j["channelId"].get<std::string>();
    out.to = j["to"].get<std::string>();
    auto s = flag(j, "onSuccess", true, "delivery.onSuccess");
    auto e = flag(j, "onError", true, "delivery.onError");
    auto r = flag(j, "onlyIfResult", false, "delivery.onlyIfResult");
    if (!s) return s.error();
    if (!e) return e.error();
    if (!r) return r.error();
    out.on_success = *s;
    out.on_error = *e;
    out.only_if_result = *r;
    return std::optional<CronDelivery>(out);
}

Status read_options(const Json& d, CronJob& job) {
    if (d.contains("timeoutSeconds") && !d["timeoutSeconds"].is_null()) {
        if (!d["timeoutSeconds"].is_number_integer() || d["timeoutSeconds"].get<int64_t>() < 1 ||
            d["timeoutSeconds"].get<int64_t>() > kMaxTimeoutSeconds)
            return field_error("timeoutSeconds", "must be a whole number of seconds from 1 to " +
                                                     std::to_string(kMaxTimeoutSeconds));
        job.timeout_seconds = d["timeoutSeconds"].get<int64_t>();
    }
    auto enabled = flag(d, "enabled", true, "enabled");
    auto wake = flag(d, "runOnWake", false, "runOnWake");
    auto once = flag(d, "deleteAfterRun", false, "deleteAfterRun");
    if (!enabled) return enabled.error();
    if (!wake) return wake.error();
    if (!once) return once.error();
    job.enabled = *enabled;
    job.run_on_wake = *wake;
    job.delete_after_run = *once;
    if (job.delete_after_run && job.schedule.spec.kind != "at")
        return field_error("deleteAfterRun", "applies only to schedule kind \"at\"");
    const std::string policy = d.contains("missedRunPolicy") && d["missedRunPolicy"].is_string()
                                   ? d["missedRunPolicy"].get<std::string>()
                                   : (d.contains("missedRunPolicy") && !d["missedRunPolicy"].is_null() ? "?" : "run_once");
    if (policy != "skip" && policy != "run_once")
        return field_error("missedRunPolicy", "must be \"skip\" or \"run_once\"");
    job.missed = policy == "skip" ? scheduler::MissedRunPolicy::Skip : scheduler::MissedRunPolicy::RunOnce;
    auto delivery = delivery_from(d);
    if (!delivery) return delivery.error();
    job.delivery = *delivery;
    return ok_status();
}

}  // namespace

Result<CronJob> job_from_definition(const Json& d, std::optional<scheduler::Instant> now) {
    if (!d.is_object()) return field_error("job", "must be an object");
    for (const auto& [key, value] : d.items())
        if (!kFields.contains(key) && key != "id")
            return field_error(key, "is not a cron job field (fields: name, description, enabled, schedule, prompt, "
                                    "title, workspace, provider, model, timeoutSeconds, runOnWake, deleteAfterRun, "
                                    "delivery, missedRunPolicy)");
    CronJob job;
    struct TextField {
        const char* key;
        bool required;
        size_t max;
        std::string* into;
    };
    for (const auto& f : {TextField{"name", true, 200, &job.name}, TextField{"description", false, 2000, &job.description},
                          TextField{"prompt", true, 100000, &job.prompt}, TextField{"title", false, 200, &job.title},
                          TextField{"workspace", true, 4096, &job.workspace}, TextField{"provider", false, 200, &job.provider},
                          TextField{"model", false, 200, &job.model}}) {
        auto v = text(d, f.key, f.required, f.max);
        if (!v) return v.error();
        *f.into = std::move(*v);
    }
    if (!d.contains("schedule")) return field_error("schedule", "is required: {kind:\"at\"|\"every\"|\"cron\", …}");
    auto schedule = parse_cron_schedule(d["schedule"], now);
    if (!schedule) return schedule.error();
    job.schedule = std::move(*schedule);
    if (auto st = read_options(d, job); !st) return st.error();
    return job;
}

Json CronJob::definition() const {
    Json d{{"name", name},           {"enabled", enabled},  {"schedule", schedule.json},
           {"prompt", prompt},       {"workspace", workspace}, {"timeoutSeconds", timeout_seconds},
           {"runOnWake", run_on_wake}, {"missedRunPolicy", scheduler::to_string(missed)}};
    if (!description.empty()) d["description"] = description;
    if (!title.empty()) d["title"] = title;
    if (!provider.empty()) d["provider"] = provider;
    if (!model.empty()) d["model"] = model;
    if (schedule.spec.kind == "at") d["deleteAfterRun"] = delete_after_run;
    if (delivery)
        d["delivery"] = {{"channelId", delivery->channel_id}, {"to", delivery->to}, {"onSuccess", delivery->on_success},
                         {"onError", delivery->on_error}, {"onlyIfResult", delivery->only_if_result}};
    return d;
}

Json CronJob::to_json() const {
    Json j = definition();
    j["id"] = id;
    auto ms = [](const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); };
    auto str = [](const std::string& v) { return v.empty() ? Json(nullptr) : Json(v); };
    j["state"] = {{"nextRunAt", ms(state.next_run_at)}, {"lastRunAt", ms(state.last_run_at)},
                  {"lastStatus", str(state.last_status)}, {"lastError", str(state.last_error)},
                  {"lastTaskId", str(state.last_task_id)}, {"totals", state.totals},
                  {"pendingWake", !state.pending_wake_text.empty()}};
    j["createdAt"] = created_at;
    j["updatedAt"] = updated_at;
    return j;
}

Json patched_definition(const CronJob& base, const Json& patch) {
    Json d = base.definition();
    for (const auto& [key, value] : patch.items()) {
        if (key == "id") continue;
        if (key == "delivery" && value.is_object() && d.contains("delivery")) {
            for (const auto& [k, v] : value.items()) d["delivery"][k] = v;
            continue;
        }
        d[key] = value;
    }
    return d;
}

}  // namespace cowork::kernel::cron
