#include "identity.hpp"

namespace cowork::mcp {

std::vector<std::string> Identity::scopes() const {
    if (role == "operator") return {"read", "write"};
    return {"read"};
}

nlohmann::json Identity::caller() const {
    return {{"id", "mcp:" + name}, {"role", role}, {"scopes", scopes()}, {"transport", "mcp"}};
}

}  // namespace cowork::mcp
