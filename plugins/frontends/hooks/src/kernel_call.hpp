// kernel_call.hpp — one kernel API call as a named hook caller. The kernel
// checks the caller's scopes and records its id (prefixed with the plugin
// id) on what the call creates: tasks, messages, approval decisions.
#pragma once

#include "responses.hpp"

#include <cowork/sdk/host.hpp>

#include <string>
#include <vector>

namespace cowork::hooks {

struct HookCaller {
    std::string path;    // "/hooks/agent"
    std::string remote;  // "127.0.0.1"
    std::vector<std::string> scopes;  // what this endpoint needs, nothing more

    // {"id":"hook:/hooks/agent@127.0.0.1","role":"operator","scopes":[…],"transport":"hooks"}
    Json to_json() const;
};

// Never throws: transport problems become a failed KernelResult.
KernelResult call_kernel(const sdk::Host& host, const std::string& method, const Json& params, const HookCaller& caller);

}  // namespace cowork::hooks
