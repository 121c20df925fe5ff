// kernel/plugins/resolver.hpp — dependency resolution and load order.
//
// Pure: takes what the manifests say, returns who may run and in which
// order. Cycles fail every member; a missing or out-of-range required
// dependency disables the plugin; dependents of anything not usable are
// disabled with a reason naming the upstream plugin. The order is a
// topological order with ties broken by id, so it never depends on the
// file system's listing order.
#pragma once

#include "plugins/manifest.hpp"

#include <map>
#include <string>
#include <vector>

namespace cowork::kernel::plugins {

struct ResolveNode {
    std::string id;
    std::string version;                  // semver text
    std::vector<Dependency> dependencies;
    std::vector<std::string> provides;
    std::vector<std::string> requires_;
    // A plugin already out of the running (failed to read, disabled in
    // config): kept so dependents learn why their dependency is absent.
    bool usable = true;
    std::string unusable_reason;          // "disabled in config", "failed (read): …"
};

struct Verdict {
    enum class Kind { Ok, Disabled, Failed };
    Kind kind = Kind::Ok;
    std::string reason;
};

struct Resolution {
    std::vector<std::string> order;           // usable plugins, dependencies first
    std::map<std::string, Verdict> verdicts;  // one per usable input node
};

Resolution resolve(const std::vector<ResolveNode>& nodes);

}  // namespace cowork::kernel::plugins
