// kernel/agent/task_recorder.hpp — every change to a task goes through here:
// the task row, a task_events row (redacted + capped by the journal) and
// the bus, in that order, so a subscriber never sees an event that is not
// durable yet.
//
// Bus topics: task.event {taskId, seq, ts, type, payload} for every row;
// task.created / task.updated / task.completed / task.failed with the task;
// approval.requested with the approval.
#pragma once

#include "agent/task_state.hpp"
#include "bus/event_bus.hpp"
#include "storage/task_event_journal.hpp"
#include "storage/task_repo.hpp"

#include <future>
#include <optional>

namespace cowork::kernel::agent {

Json task_to_json(const storage::Task& task);

class TaskRecorder {
public:
    TaskRecorder(storage::Database& db, bus::EventBus* bus) : tasks_(db), journal_(db), bus_(bus) {}

    // Appends without waiting; the bus hears of it once committed.
    std::future<Result<storage::TaskEvent>> event(const std::string& task_id, const std::string& type, const Json& payload);

    // Checked transition: the row and its task.state event in one
    // transaction, then the bus.
    Result<storage::Task> transition(const std::string& task_id, TaskState from, TaskState to, const std::string& reason = "",
                                     std::optional<Json> result = std::nullopt,
                                     std::optional<std::string> error = std::nullopt);

    void publish(const std::string& topic, const Json& payload);
    void publish_event(const storage::TaskEvent& e);

    storage::TaskRepo& tasks() { return tasks_; }
    storage::TaskEventJournal& journal() { return journal_; }

private:
    storage::TaskRepo tasks_;
    storage::TaskEventJournal journal_;
    bus::EventBus* bus_;
};

}  // namespace cowork::kernel::agent
