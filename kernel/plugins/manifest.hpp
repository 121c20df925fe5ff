// kernel/plugins/manifest.hpp — the parsed, validated cowork.plugin.json.
#pragma once

#include "core/result.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::plugins {

struct Dependency {
    std::string id;
    std::string version_range;  // semver range, e.g. ">=1.2.0 <2.0.0", "^1.2", "*"
    bool optional = false;
};

struct Permissions {
    std::vector<std::string> net_connect;   // host[:port] patterns
    std::vector<std::string> fs_read;       // roots
    std::vector<std::string> fs_write;      // roots
    bool process_exec = false;
    std::vector<std::string> secret_read;   // secret keys
    std::vector<std::string> secret_write;  // secret keys the plugin may store or delete
};

// One API method the plugin contributes (manifest "api"; served through
// cowork.methods/1). The kernel checks `scope` before calling the plugin.
struct ApiMethod {
    std::string name;     // "mcp.list": starts with "<plugin name>."
    std::string scope;    // read | write | approve | admin
    bool side_effect = false;
    std::string summary;
};

// Named RuntimeSpec, not Runtime: plugins/runtime.hpp declares the Runtime
// interface in this namespace, and both headers meet in every runtime.
struct RuntimeSpec {
    std::string kind = "inprocess";         // "inprocess" | "process"
    std::string library;                    // file name next to the manifest
    std::string threading = "any";          // "any" | "main" (UI plugins)
};

struct Manifest {
    std::string id;             // "type.name"
    std::string name;
    std::string display_name;
    std::string version;        // semver
    std::string compat_version; // oldest version this one is compatible with
    std::string type;           // llm | tool | channel | memory | frontend | ui
    std::string description;
    uint16_t kernel_abi = 1;    // ABI major it targets
    std::string kernel_min_version;
    RuntimeSpec runtime;
    std::vector<Dependency> dependencies;
    std::vector<std::string> provides;  // interface ids
    std::vector<std::string> requires_; // interface ids
    Json capabilities = Json::object();
    Permissions permissions;
    Json config_schema = Json::object();
    std::string status = "stable";      // stable | beta | experimental | deprecated
    bool enabled_by_default = true;
    std::vector<ApiMethod> api;         // methods served through cowork.methods/1

    std::filesystem::path dir;          // directory holding the manifest
    Json raw;                           // the document as read

    std::filesystem::path library_path() const { return dir / runtime.library; }
};

}  // namespace cowork::kernel::plugins
