#include "workspace_path.hpp"

#include <cowork/sdk/error.hpp>

#include <system_error>

namespace cowork::shell {

namespace fs = std::filesystem;

bool is_within(const fs::path& path, const fs::path& root) {
    auto p = path.begin();
    for (auto r = root.begin(); r != root.end(); ++r, ++p) {
        if (r->empty()) continue;  // trailing separator on root
        if (p == path.end() || *p != *r) return false;
    }
    return true;
}

fs::path canonical_workspace(const std::string& workspace) {
    if (workspace.empty()) throw sdk::invalid("run_command: context.workspace is required");
    const fs::path ws(workspace);
    if (!ws.is_absolute()) throw sdk::invalid("run_command: workspace must be an absolute path: " + workspace);
    std::error_code ec;
    const auto resolved = fs::canonical(ws, ec);
    if (ec || !fs::is_directory(resolved, ec))
        throw sdk::invalid("run_command: workspace is not an existing directory: " + workspace);
    return resolved;
}

fs::path resolve_cwd(const fs::path& workspace, const std::string& cwd) {
    if (cwd.empty() || cwd == ".") return workspace;
    if (cwd.find('\0') != std::string::npos) throw sdk::invalid("run_command: cwd contains NUL");
    const fs::path requested = fs::path(cwd).is_absolute() ? fs::path(cwd) : workspace / cwd;
    std::error_code ec;
    const auto resolved = fs::canonical(requested, ec);
    if (ec) {
        // Say "outside" rather than "missing" when the text itself climbs out.
        if (!is_within(requested.lexically_normal(), workspace))
            throw sdk::denied("run_command: cwd '" + cwd + "' is outside the workspace");
        throw sdk::invalid("run_command: cwd '" + cwd + "' does not exist");
    }
    if (!is_within(resolved, workspace))
        throw sdk::denied("run_command: cwd '" + cwd + "' resolves to " + resolved.string() +
                          ", outside the workspace " + workspace.string());
    if (!fs::is_directory(resolved, ec)) throw sdk::invalid("run_command: cwd '" + cwd + "' is not a directory");
    return resolved;
}

}  // namespace cowork::shell
