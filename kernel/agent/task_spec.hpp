// kernel/agent/task_spec.hpp — what a task run needs to know about its task.
// Stored as the payload of its first event (task.created), so a resume
// sees exactly what the task was created with.
#pragma once

#include "agent/llm_client.hpp"
#include "agent/settings.hpp"
#include "policy/request.hpp"

#include <string>

namespace cowork::kernel::agent {

struct TaskSpec {
    std::string id;
    std::string title;
    std::string prompt;
    std::string workspace;              // canonical folder
    std::string workspace_id;           // registered workspace, or empty
    Json workspace_permissions = nullptr;
    policy::Caller caller;              // who created it: the policy sees this role
    std::string caller_id;
    ModelChoice model;
    Budget budget;
    std::string skill;
    Json params = Json::object();

    Json created_payload() const;  // the task.created event (no prompt: it is in the row)
    static TaskSpec from_created(const std::string& id, const std::string& prompt, const Json& payload);
};

}  // namespace cowork::kernel::agent
