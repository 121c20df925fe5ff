#include "kernel_call.hpp"

namespace cowork::mcp {

nlohmann::json call_kernel(const sdk::Host& host, const Identity& who, const std::string& method,
                           const nlohmann::json& params) {
    return host.api(method, params, who.caller());
}

std::string kernel_message(const std::exception& e, const std::string& method) {
    std::string m = e.what();
    const std::string prefix = method + ": ";
    if (m.rfind(prefix, 0) == 0) m.erase(0, prefix.size());
    return m;
}

}  // namespace cowork::mcp
