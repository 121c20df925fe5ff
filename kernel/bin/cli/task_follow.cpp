#include "bin/cli/task_follow.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>

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
void answer_approval(Connection& conn, const Json& p, const FollowOptions& o, std::ostream& err) {
    bool approve = o.approve_all;
    if (o.approve_stdin || (o.interactive && !o.json && !o.ndjson)) approve = ask_yes(p, err);
    else err << "approval " << p.value("approvalId", "") << " for " << p.value("tool", "") << ": "
             << (approve ? "approved (--approve-all)"
                         : "denied (no terminal to ask; --approve-stdin reads y/N from stdin, --approve-all approves)")
             << "\n";
    auto r = conn.call("approval.respond", {{"approvalId", p.value("approvalId", "")},
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

bool finished(const std::string& status) {
    return status == "completed" || status == "failed" || status == "cancelled" || status == "interrupted";
}

// Pushed events only wake the loop; a `shutdown` from coworkd is worth saying.
void react_to_pushes(Connection& conn, const std::string& task_id, std::ostream& err) {
    for (const auto& e : conn.wait_events(std::chrono::milliseconds(200)))
        if (e.name == "shutdown")
            err << "coworkd is stopping (" << e.payload.value("reason", "") << "); continue later with: cowork task resume "
                << task_id << "\n";
}

int report_end(const Json& task, const std::string& task_id, const Json& journal, const FollowOptions& o,
               std::ostream& out, std::ostream& err) {
    const std::string status = task.value("status", "");
    if (o.json && !o.ndjson) out << Json{{"task", task}, {"events", journal}}.dump(2) << "\n";
    else if (o.ndjson) out << Json{{"task", task}}.dump() << "\n";
    else {
        err << "task " << task_id << " " << status;
        if (task.contains("error") && task["error"].is_string()) err << ": " << task["error"].get<std::string>();
        err << "\n";
    }
    return status == "completed" ? 0 : 1;
}

}  // namespace

void catch_interrupts() {
    g_interrupted = false;
    std::signal(SIGINT, [](int) { g_interrupted = true; });
}

int follow_task(Connection& conn, const std::string& task_id, const FollowOptions& o, std::ostream& out,
                std::ostream& err) {
    int64_t after = 0;
    bool mid_text = false, cancel_sent = false;
    Json journal = Json::array();
    while (true) {
        if (g_interrupted && !cancel_sent) {
            err << "\ncancelling " << task_id << " (on " << conn.describe() << ")…\n";
            if (auto r = conn.call("task.cancel", {{"id", task_id}}); !r) err << "cowork: " << r.error().message << "\n";
            cancel_sent = true;
        }
        auto events = conn.call("task.events", {{"id", task_id}, {"afterSeq", after}});
        if (!events) {
            err << "cowork: " << events.error().message << "\n";
            return 1;
        }
        for (const auto& e : *events) {
            after = e.value("seq", after);
            if (o.ndjson) out << e.dump() << "\n" << std::flush;
            else if (o.json) journal.push_back(e);
            else render(e, out, err, mid_text);
            if (e.value("type", "") == "approval.requested") answer_approval(conn, e["payload"], o, err);
        }
        auto task = conn.call("task.get", {{"id", task_id}});
        if (!task) {
            err << "cowork: " << task.error().message << "\n";
            return 1;
        }
        if (events->empty() && finished(task->value("status", ""))) {
            if (mid_text) out << "\n";
            return report_end(*task, task_id, journal, o, out, err);
        }
        if (events->empty()) react_to_pushes(conn, task_id, err);
    }
}

}  // namespace cowork::kernel::cli
