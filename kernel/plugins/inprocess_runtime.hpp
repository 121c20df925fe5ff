// kernel/plugins/inprocess_runtime.hpp — runs a verified plugin inside the kernel.
//
// Boost.DLL with RTLD_NOW | RTLD_LOCAL: unresolved symbols fail the load
// instead of killing the process at the first call, and plugins cannot see
// each other's symbols. Libraries are never unloaded (habit 12): code that
// might still be referenced (a detached stop thread, a callback) must stay
// mapped, so every library loaded here stays until the process exits.
// Only for first-party, verified plugins: a crash in one is a kernel crash.
#pragma once

#include "plugins/runtime.hpp"

namespace cowork::kernel::plugins {

class InProcessRuntime final : public Runtime {
public:
    // [main] Loads, finds `cowork_entry`, checks struct size, ABI, id and
    // version against the manifest, then calls create(host). Error codes:
    // "load" (dlopen / symbol), "abi", "mismatch", "create".
    Result<Instance> create(const Manifest& manifest, const cowork_host* host, CrashHandler on_crash) override;
};

// The entry checks, separate so they can be tested without a library.
Status check_entry(const cowork_plugin_entry& entry, const Manifest& manifest);

}  // namespace cowork::kernel::plugins
