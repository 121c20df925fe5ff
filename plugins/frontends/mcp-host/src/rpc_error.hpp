// rpc_error.hpp — a JSON-RPC error thrown inside a method handler; the
// dispatcher turns it into the error response. Never crosses the plugin boundary.
#pragma once

#include "jsonrpc.hpp"

#include <stdexcept>

namespace cowork::mcp {

class RpcError : public std::runtime_error {
public:
    RpcError(int code, const std::string& message, Json data = nullptr)
        : std::runtime_error(message), code_(code), data_(std::move(data)) {}
    int code() const noexcept { return code_; }
    const Json& data() const noexcept { return data_; }

private:
    int code_;
    Json data_;
};

}  // namespace cowork::mcp
