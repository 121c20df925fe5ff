// kernel/plugins/runtime.hpp — how a verified plugin's code gets running.
//
// Two implementations: InProcessRuntime (Boost.DLL, RTLD_NOW|RTLD_LOCAL) and
// ProcessRuntime (a cowork-plugin-host child relaying the same C calls over
// a pipe). The plugin manager treats their Instances identically.
#pragma once

#include "core/result.hpp"
#include "plugins/manifest.hpp"

#include <cowork/abi.h>

#include <functional>
#include <memory>
#include <string>

namespace cowork::kernel::plugins {

// A created plugin instance. `table` stays valid while `owner` lives; the
// manager calls table->destroy before dropping `owner`. For in-process
// plugins `owner` keeps the library mapped (never dlclose'd while anything
// from it lives); for process plugins it owns the child and the relay.
struct Instance {
    const cowork_plugin* table = nullptr;
    std::shared_ptr<void> owner;
};

// Called (on any thread) when an instance dies underneath the kernel, e.g.
// its host process crashed. The manager marks the plugin Failed and may
// restart it.
using CrashHandler = std::function<void(const std::string& reason)>;

// The error code ({"code": …} written to `err`) of a call that failed
// because the instance died. The manager treats such a failure like a crash
// report: the report itself never comes if the caller destroys the instance
// first (an instance being destroyed reports nothing).
inline constexpr const char* kCrashedCode = "plugin.crashed";

class Runtime {
public:
    virtual ~Runtime() = default;
    // `host` is the kernel-side host table for this plugin (services routed
    // to the kernel); it outlives the instance. The library has already been
    // verified (hash/signature/ELF) by the manager.
    virtual Result<Instance> create(const Manifest& manifest, const cowork_host* host,
                                    CrashHandler on_crash) = 0;
};

}  // namespace cowork::kernel::plugins
