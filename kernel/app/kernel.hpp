// kernel/app/kernel.hpp — the assembled kernel: boots every component in
// order, wires plugins to services, exposes the one API, shuts down in
// reverse.
//
//   config → logging → storage → secrets → policy → bus → scheduler → api
//          → plugins (discover … init [→ start])
//
// coworkd runs it with every plugin started; the CLI boots it in-process
// with plugins only initialized (no listeners) and calls the same API.
#pragma once

#include "api/api.hpp"
#include "core/result.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::app {

std::string kernel_version();

enum class PluginStage { Initialized, Running };

struct KernelOptions {
    std::optional<std::filesystem::path> config_file;  // default: paths.config_file()
    std::vector<std::filesystem::path> plugin_dirs;    // extra roots (--plugin-dir)
    std::string log_level;                             // empty: from config
    bool console_log = true;
    PluginStage plugin_stage = PluginStage::Running;
    std::string role = "daemon";                       // "daemon" | "cli": names the log file
};

class Kernel {
public:
    explicit Kernel(KernelOptions options);
    ~Kernel();
    Kernel(const Kernel&) = delete;
    Kernel& operator=(const Kernel&) = delete;

    // [main] Brings everything up. A failing plugin never fails boot; a
    // broken config, an unopenable database or an unusable secrets key does,
    // with a message that says what to do.
    Status boot();
    // [main] Publishes `shutdown`, stops plugins in reverse start order,
    // then the scheduler, the bus and storage. Idempotent.
    void shutdown();

    api::Api& api();
    // {summary, plugins: {running, failed, disabled, total}, …}
    Json ready_report() const;

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace cowork::kernel::app
