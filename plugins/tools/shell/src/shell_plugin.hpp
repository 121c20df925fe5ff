// shell_plugin.hpp — tool.shell: the run_command tool.
//
// Order of checks for a call: arguments → blocked patterns → sandbox
// available → cwd inside the workspace → spawn. Anything refused is refused
// before a process exists.
#pragma once

#include "blocklist.hpp"
#include "process_runner.hpp"
#include "sandbox.hpp"

#include <cowork/sdk.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cowork::shell {

using sdk::Events;
using sdk::Json;

constexpr std::int64_t kDefaultTimeoutMs = 120'000;
constexpr std::int64_t kMaxTimeoutMs = 30 * 60'000;

class ShellPlugin final : public sdk::Plugin, public sdk::ToolProvider {
public:
    explicit ShellPlugin(sdk::Host host);

    void init() override;
    void stop(std::chrono::milliseconds deadline) override;

    Json list_tools(const Json& request, Events& events) override;
    Json call_tool(const Json& request, Events& events) override;
    Json cancel(const Json& request, Events& events) override;

    // The sandbox description (probing on first use); also in list_tools.
    Json sandbox_status();

private:
    struct SandboxState {
        Capabilities caps;
        SandboxChoice choice;
    };
    const SandboxState& sandbox();

    Json run_command(const std::string& call_id, const Json& args, const Json& context, Events& events);
    std::shared_ptr<CancelSignal> register_call(const std::string& call_id);
    void unregister_call(const std::string& call_id);

    SandboxSettings settings_;
    std::unique_ptr<Blocklist> blocklist_;
    std::size_t output_limit_ = 100 * 1024;
    std::chrono::milliseconds kill_grace_{2'000};

    std::once_flag probe_once_;
    SandboxState sandbox_;

    std::mutex calls_mu_;
    std::map<std::string, std::shared_ptr<CancelSignal>> running_;
};

}  // namespace cowork::shell
