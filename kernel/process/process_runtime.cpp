#include "process/process_runtime.hpp"

#include "process/child_process.hpp"
#include "process/process_instance.hpp"

namespace cowork::kernel::process {

ProcessRuntime::ProcessRuntime(ProcessOptions options) : options_(std::move(options)) {
    if (options_.host_executable.empty()) options_.host_executable = default_host_executable();
}

Result<plugins::Instance> ProcessRuntime::create(const plugins::Manifest& manifest, const cowork_host* host,
                                                 plugins::CrashHandler on_crash) {
    auto instance = std::make_shared<ProcessInstance>(manifest, host, std::move(on_crash), options_);
    if (auto launched = instance->launch(options_.host_executable); !launched) return std::move(launched).error();
    const cowork_plugin* table = instance->table();
    return plugins::Instance{table, std::move(instance)};
}

std::optional<pid_t> ProcessRuntime::host_pid(const plugins::Instance& instance) {
    const auto* ours = ProcessInstance::from_table(instance.table);
    if (!ours) return std::nullopt;
    return ours->pid();
}

}  // namespace cowork::kernel::process
