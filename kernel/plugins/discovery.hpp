// kernel/plugins/discovery.hpp — where plugins live and which copy wins.
//
// Each root holds <root>/<id>/cowork.plugin.json. Roots are scanned in order
// (bundled, system, user, then every --plugin-dir); the first root holding an
// id wins and later copies are reported as shadowed, never silently dropped.
// Discovery only lists directories: reading the manifest is the next step.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace cowork::kernel::plugins {

struct Root {
    std::string kind;  // "bundled" | "system" | "user" | "extra"
    std::filesystem::path path;
};

// The standard roots in precedence order. `exe_dir` is the kernel binary's
// directory; `user_plugins` is $XDG_DATA_HOME/cowork/plugins (core/paths).
std::vector<Root> standard_roots(const std::filesystem::path& exe_dir, const std::filesystem::path& user_plugins,
                                 const std::vector<std::filesystem::path>& extra_dirs = {});

struct Candidate {
    std::string id;               // the directory name
    Root root;
    std::filesystem::path dir;    // <root>/<id>
};

struct Shadowed {
    Candidate candidate;          // the copy that lost
    std::filesystem::path winner; // the directory that won
};

struct Discovery {
    std::vector<Candidate> plugins;   // one per id, in scan order
    std::vector<Shadowed> shadowed;
};

// Missing roots are skipped; a directory without a manifest is not a plugin.
Discovery discover(const std::vector<Root>& roots);

}  // namespace cowork::kernel::plugins
