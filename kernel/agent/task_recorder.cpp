#include "agent/task_recorder.hpp"

#include "core/log.hpp"

namespace cowork::kernel::agent {

Json task_to_json(const storage::Task& t) {
    Json j{{"id", t.id},         {"title", t.title},          {"prompt", t.prompt},    {"status", t.status},
           {"source", t.source}, {"budget", t.budget},        {"result", t.result},    {"createdAt", t.created_at},
           {"updatedAt", t.updated_at}};
    j["workspaceId"] = t.workspace_id ? Json(*t.workspace_id) : Json(nullptr);
    j["error"] = t.error ? Json(*t.error) : Json(nullptr);
    j["completedAt"] = t.completed_at ? Json(*t.completed_at) : Json(nullptr);
    return j;
}

std::future<Result<storage::TaskEvent>> TaskRecorder::event(const std::string& task_id, const std::string& type,
                                                            const Json& payload) {
    return journal_.append(task_id, type, payload, [this](const storage::TaskEvent& e) { publish_event(e); });
}

void TaskRecorder::publish_event(const storage::TaskEvent& e) {
    publish("task.event", Json{{"taskId", e.task_id}, {"seq", e.seq}, {"ts", e.ts}, {"type", e.type}, {"payload", e.payload}});
}

Result<storage::Task> TaskRecorder::transition(const std::string& task_id, TaskState from, TaskState to,
                                               const std::string& reason, std::optional<Json> result,
                                               std::optional<std::string> error) {
    if (auto st = check_transition(from, to); !st) return st.error();
    Json payload{{"from", to_string(from)}, {"to", to_string(to)}};
    if (!reason.empty()) payload["reason"] = reason;
    auto moved = tasks_.transition(task_id, {std::string(to_string(to)), std::move(result), std::move(error)}, payload,
                                   [this](const storage::TaskEvent& e) { publish_event(e); })
                     .get();
    if (!moved) return std::move(moved).error();
    const storage::Task& updated = moved->task;
    const Json task = task_to_json(updated);
    publish("task.updated", task);
    if (to == TaskState::completed) publish("task.completed", task);
    if (to == TaskState::failed) publish("task.failed", task);
    return updated;
}

void TaskRecorder::publish(const std::string& topic, const Json& payload) {
    if (!bus_) return;
    if (auto st = bus_->publish(topic, payload); !st) logger()->debug("agent: publish {}: {}", topic, st.error().message);
}

}  // namespace cowork::kernel::agent
