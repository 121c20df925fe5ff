// kernel/process/process_runtime.hpp — plugins::Runtime for `runtime.kind:
// "process"`: each instance runs in its own cowork-plugin-host child.
//
// Driving a crash → restart cycle (what PluginManager does, with
// plugins::Supervisor and plugins::BackoffPolicy):
//   Supervisor sup(id, BackoffPolicy{}, restart, give_up);
//   create(manifest, host, [&](auto& why) { mark Failed{why}; sup.on_crash(why); });
//   restart = [&] { old.table->destroy(old.table->self); old.owner.reset();   // reaps the dead child
//                   auto inst = runtime.create(manifest, host, same handler);   // fresh child
//                   then init → on_all_initialized → start; return their Status; };
// A create that fails returns the Error and does *not* call on_crash; the
// handler runs (once) only for an instance create() returned.
#pragma once

#include "plugins/runtime.hpp"
#include "process/process_options.hpp"

#include <sys/types.h>

#include <optional>

namespace cowork::kernel::process {

class ProcessRuntime final : public plugins::Runtime {
public:
    explicit ProcessRuntime(ProcessOptions options = {});

    // [main or any worker] Spawns the host, loads the library there, relays
    // the entry's create. The instance's owner owns the child; the table's
    // destroy shuts it down and reaps it.
    Result<plugins::Instance> create(const plugins::Manifest& manifest, const cowork_host* host,
                                     plugins::CrashHandler on_crash) override;

    // The child's pid for an instance this runtime made (diagnostics, tests).
    static std::optional<pid_t> host_pid(const plugins::Instance& instance);

    const ProcessOptions& options() const noexcept { return options_; }

private:
    ProcessOptions options_;
};

}  // namespace cowork::kernel::process
