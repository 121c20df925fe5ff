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

size_t width_of(const Json& rows, const char* key, size_t floor) {
    size_t w = floor;
    for (const auto& r : rows) w = std::max(w, r.value(key, std::string()).size());
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
        const std::string state = p.value("state", "?");
        std::string detail = p.value("reason", "");
        if (!p.value("phase", "").empty()) detail = p.value("phase", "") + ": " + detail;
        out << std::left << std::setw(static_cast<int>(wid)) << p.value("id", "?") << std::setw(static_cast<int>(wver))
            << p.value("version", "") << state_label(state)
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

void render_generic(std::ostream& out, const Json& value) { out << value.dump(2) << "\n"; }

void render_error(std::ostream& out, const Error& error, bool json) {
    if (json) {
        out << Json{{"ok", false}, {"error", error.to_json()}}.dump() << "\n";
        return;
    }
    out << "cowork: " << error.message << "\n";
}

}  // namespace cowork::kernel::cli
