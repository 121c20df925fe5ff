// tool_failure.hpp — an expected failure the model should read and act on.
//
// Thrown by shared code (confinement, atomic write) and by tools; the
// plugin's call_tool turns it into {"isError":true,"content":[text]}, not
// into an ABI error: "file not found" or "path escapes the workspace" is a
// normal outcome the agent must see. Malformed arguments are sdk::invalid.
#pragma once

#include <stdexcept>
#include <string>

namespace cowork::tools {

class ToolFailure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// "<what>: <strerror(err)>" as a ToolFailure.
[[noreturn]] void fail_errno(const std::string& what, int err);

}  // namespace cowork::tools
