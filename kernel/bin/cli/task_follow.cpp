#include "bin/cli/task_follow.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

namespace cowork::kernel::cli {
namespace {

std::atomic<bool> g_interrupted{false};

std::string one_line(std::string s, size_t max = 120) {
    for (auto& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    if (s.size() > max) s = s.substr(0, max - 3) + "...";
    return s;
}

bool ask_yes(const Json& p, std::ostream& err) {
    err << "\n? approve " << p.value("tool", "") << " " << one_line(p.value("arguments", Json::object()).dump(), 200)
        << "\n  (" << one_line(p.value("reason", ""), 200) << ") [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) return false;
    while (!answer.empty() && (answer.back() == '\r' || answer.back() == ' ')) answer.pop_back();
    return answer == "y" || answer == "Y" || answer == "yes";
}

// A terminal gets a y/N question; so does a pipe when --approve-stdin says
// answers come from it (scripts, tests). Otherwise nobody can answer: deny,
// unless --approve-all. End of input counts as "no".
void answer_approval(const ApiCall& call, const Json& p, const FollowOptions& o, std::ostream& err) {
    bool approve = o.approve_all;
    if (o.approve_stdin || (o.interactive && !o.json)) approve = ask_yes(p, err);
    else err << "approval " << p.value("approvalId", "") << " for " << p.value("tool", "") << ": "
             << (approve ? "approved (--approve-all)"
                         : "denied (no terminal to ask; --approve-stdin reads y/N from stdin, --approve-all approves)")
             << "\n";
    auto r = call("approval.respond", {{"approvalId", p.value("approvalId", "")},
                                       {"decision", approve ? "approve" : "deny"},
                                       {"reason", approve ? "approved in cowork run" : "denied in cowork run"}});
    if (!r) err << "cowork: " << r.error().message << "\n";
}

// Human rendering of one journal row; text deltas are printed as they come.
void render(const Json& e, std::ostream& out, std::ostream& err, bool& mid_text) {
    const std::string type = e.value("type", "");
    const Json& p = e["payload"];
    auto line = [&](const std::string& s) {
        if (mid_text) out << "\n", mid_text = false;
        err << s << "\n";
    };
    if (type == "llm.delta") {
        out << p.value("text", "") << std::flush;
        mid_text = true;
    } else if (type == "tool.call") {
        line("→ " + p.value("tool", "") + " " + one_line(p.value("arguments", Json::object()).dump()));
    } else if (type == "tool.result") {
        line(std::string(p.value("isError", false) ? "✗ " : "← ") + one_line(p.value("content", "")));
    } else if (type == "plan.updated") {
        std::string s = "plan:";
        for (const auto& step : p["plan"].value("steps", Json::array()))
            s += "\n  [" + step.value("status", "") + "] " + step.value("description", "");
        line(s);
    } else if (type == "guardrail" || type == "context.compacted") {
        line("! " + type + " " + one_line(p.value("detail", p.value("kind", "")), 200));
    } else if (type == "input.requested") {
        line("? " + p.value("question", "") + "  (answer with: cowork api call task.sendMessage)");
    } else if (type == "task.state") {
        line("[" + p.value("to", "") + "]" + (p.contains("reason") ? " " + one_line(p.value("reason", ""), 200) : ""));
    } else if (type == "llm.call" && p.contains("error")) {
        line("! LLM: " + one_line(p["error"].value("message", ""), 200));
    }
}

}  // namespace

int follow_task(const ApiCall& call, const std::string& task_id, const FollowOptions& o, std::ostream& out,
                std::ostream& err) {
    g_interrupted = false;
    std::signal(SIGINT, [](int) { g_interrupted = true; });
    int64_t after = 0;
    bool mid_text = false, cancel_sent = false;
    while (true) {
        if (g_interrupted && !cancel_sent) {
            err << "\ncancelling " << task_id << "…\n";
            (void)call("task.cancel", {{"id", task_id}});
            cancel_sent = true;
        }
        auto events = call("task.events", {{"id", task_id}, {"afterSeq", after}});
        if (!events) {
            err << "cowork: " << events.error().message << "\n";
            return 1;
        }
        for (const auto& e : *events) {
            after = e.value("seq", after);
            if (o.json) out << e.dump() << "\n" << std::flush;
            else render(e, out, err, mid_text);
            if (e.value("type", "") == "approval.requested") answer_approval(call, e["payload"], o, err);
        }
        auto task = call("task.get", {{"id", task_id}});
        if (!task) return 1;
        const std::string status = task->value("status", "");
        if (events->empty() && (status == "completed" || status == "failed" || status == "cancelled" ||
                                status == "interrupted")) {
            if (mid_text) out << "\n";
            if (!o.json) {
                err << "task " << task_id << " " << status;
                if (task->contains("error") && (*task)["error"].is_string()) err << ": " << (*task)["error"].get<std::string>();
                err << "\n";
            }
            return status == "completed" ? 0 : 1;
        }
        if (events->empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

}  // namespace cowork::kernel::cli
