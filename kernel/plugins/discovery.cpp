#include "plugins/discovery.hpp"

#include "plugins/manifest_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace cowork::kernel::plugins {
namespace {

namespace fs = std::filesystem;

// Plugin directories of one root, sorted so the scan is deterministic.
std::vector<fs::path> plugin_dirs(const fs::path& root) {
    std::vector<fs::path> dirs;
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return dirs;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code ignore;
        if (it->is_directory(ignore) && fs::exists(it->path() / kManifestFile, ignore)) dirs.push_back(it->path());
    }
    if (ec) spdlog::warn("plugin root {}: {}", root.string(), ec.message());
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

}  // namespace

std::vector<Root> standard_roots(const fs::path& exe_dir, const fs::path& user_plugins,
                                 const std::vector<fs::path>& extra_dirs) {
    std::vector<Root> roots{{"bundled", (exe_dir / ".." / "lib" / "cowork" / "plugins").lexically_normal()},
                            {"system", "/usr/lib/cowork/plugins"},
                            {"user", user_plugins}};
    for (const auto& d : extra_dirs) roots.push_back({"extra", d});
    return roots;
}

Discovery discover(const std::vector<Root>& roots) {
    Discovery found;
    std::map<std::string, fs::path> winners;
    for (const auto& root : roots) {
        for (const auto& dir : plugin_dirs(root.path)) {
            Candidate c{dir.filename().string(), root, dir};
            if (auto it = winners.find(c.id); it != winners.end()) {
                spdlog::warn("plugin {} in {} is shadowed by {}", c.id, dir.string(), it->second.string());
                found.shadowed.push_back({std::move(c), it->second});
                continue;
            }
            winners.emplace(c.id, dir);
            found.plugins.push_back(std::move(c));
        }
    }
    return found;
}

}  // namespace cowork::kernel::plugins
