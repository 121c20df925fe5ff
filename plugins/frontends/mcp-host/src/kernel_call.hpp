// kernel_call.hpp — one call into the kernel API as an MCP identity.
#pragma once

#include "identity.hpp"

#include <cowork/sdk/host.hpp>

#include <string>

namespace cowork::mcp {

// Throws sdk::Error carrying the kernel's error code (APPROVAL_REQUIRED,
// POLICY_DENIED, UNAUTHORIZED, INVALID_PARAMS, …) and its message.
nlohmann::json call_kernel(const sdk::Host& host, const Identity& who, const std::string& method,
                           const nlohmann::json& params);

// The kernel's message without the "<method>: " prefix the SDK adds.
std::string kernel_message(const std::exception& e, const std::string& method);

}  // namespace cowork::mcp
