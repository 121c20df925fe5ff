#include "bin/cli/render.hpp"

#include <algorithm>
#include <iomanip>

#include <unistd.h>

namespace cowork::kernel::cli {
namespace {

bool color() {
    static const bool on = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    return on;
}

std::string paint(const std::string& text, const char* code) {
    return color() ? std::string("\x1b[") + code + "m" + text + "\x1b[0m" : text;
}

std::string state_label(const std::string& state) {
    if (state == "Running" || state == "Initialized") return paint(state, "32");
    if (state == "Failed") return paint(state, "31");
    if (state == "Disabled") return paint(state, "33");
    return state;
}

// A string field, or `fallback` when it is absent or not a string (a plugin
// that failed validation has null version and type).
std::string text(const Json& row, const char* key, const std::string& fallback = "") {
    auto it = row.find(key);
    return it != row.end() && it->is_string() ? it->get<std::string>() : fallback;
}

size_t width_of(const Json& rows, const char* key, size_t floor) {
    size_t w = floor;
    for (const auto& r : rows) w = std::max(w, text(r, key).size());
    return w + 2;
}

}  // namespace

void render_plugins(std::ostream& out, const Json& plugins) {
    if (!plugins.is_array() || plugins.empty()) {
        out << "No plugins found. Bundled plugins live next to the binaries; add more with --plugin-dir DIR.\n";
        return;
    }
    const size_t wid = width_of(plugins, "id", 2);
    const size_t wver = width_of(plugins, "version", 7);
    out << std::left << std::setw(static_cast<int>(wid)) << "ID" << std::setw(static_cast<int>(wver)) << "VERSION"
        << std::setw(13) << "STATE" << "DETAIL\n";
    for (const auto& p : plugins) {
        const std::string state = text(p, "state", "?");
        std::string detail = text(p, "reason");
        if (!text(p, "phase").empty()) detail = text(p, "phase") + ": " + detail;
        out << std::left << std::setw(static_cast<int>(wid)) << text(p, "id", "?") << std::setw(static_cast<int>(wver))
            << text(p, "version") << state_label(state)
            << std::string(state.size() < 13 ? 13 - state.size() : 1, ' ') << detail << "\n";
    }
}

void render_doctor(std::ostream& out, const Json& report) {
    int fails = 0, warns = 0;
    for (const auto& c : report.value("checks", Json::array())) {
        const std::string status = c.value("status", "ok");
        const char* mark = status == "ok" ? "ok  " : status == "warn" ? "warn" : "FAIL";
        const char* code = status == "ok" ? "32" : status == "warn" ? "33" : "31";
        fails += status == "fail";
        warns += status == "warn";
        out << "[" << paint(mark, code) << "] " << c.value("name", "") << ": " << c.value("detail", "") << "\n";
        if (c.contains("fix") && !c["fix"].get<std::string>().empty()) out << "       → " << c["fix"].get<std::string>() << "\n";
    }
    out << "\n" << (fails ? paint(std::to_string(fails) + " problem(s)", "31") : paint("no problems", "32"));
    if (warns) out << ", " << warns << " warning(s)";
    out << "\n";
}

void render_tools(std::ostream& out, const Json& tools) {
    if (!tools.is_array() || tools.empty()) {
        out << "No tools: no running plugin provides cowork.tool-provider/1.\n";
        return;
    }
    for (const auto& t : tools)
        out << std::left << std::setw(36) << t.value("id", "") << t.value("description", "") << "\n";
}

void render_tasks(std::ostream& out, const Json& list) {
    for (const auto& t : list)
        out << t.value("id", "") << "  " << t.value("status", "") << "  " << t.value("title", "") << "\n";
    if (list.empty()) out << "no tasks (start one with: cowork run \"…\")\n";
}

void render_skills(std::ostream& out, const Json& catalog) {
    for (const auto& s : catalog.value("skills", Json::array())) {
        std::string left = s.value("id", "");
        if (left.size() < 22) left.resize(22, ' ');
        std::string params;
        for (const auto& p : s.value("parameters", Json::array()))
            params += " " + p.value("name", "") + (p.value("required", false) ? "" : "?");
        out << left << " " << s.value("description", "") << "  [" << s.value("source", "")
            << (params.empty() ? "" : ";" + params) << "]\n";
    }
    for (const auto& p : catalog.value("problems", Json::array())) out << "! " << p.get<std::string>() << "\n";
    if (catalog.value("skills", Json::array()).empty()) out << "no skills\n";
    else out << "run one with: cowork run --skill ID --param NAME=VALUE … (NAME? is optional)\n";
}

void render_approvals(std::ostream& out, const Json& list) {
    for (const auto& a : list)
        out << a.value("id", "") << "  task " << a.value("taskId", "") << "  " << a.value("tool", "") << "  "
            << a.value("request", Json::object()).value("arguments", Json::object()).dump() << "\n";
    if (list.empty()) out << "no pending approvals\n";
    else out << "answer with: cowork api call approval.respond --params '{\"approvalId\":\"…\",\"decision\":\"approve\"}'\n";
}

void render_generic(std::ostream& out, const Json& value) { out << value.dump(2) << "\n"; }

void render_error(std::ostream& out, const Error& error, bool json) {
    if (json) {
        out << Json{{"ok", false}, {"error", error.to_json()}}.dump() << "\n";
        return;
    }
    out << "cowork: " << error.message << "\n";
}

}  // namespace cowork::kernel::cli
