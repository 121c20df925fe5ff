#include "catalog_extension.hpp"

#include "kernel_call.hpp"
#include "rpc_error.hpp"
#include "tool_catalog.hpp"

namespace cowork::mcp {

Json CatalogExtension::ask(const Identity& who, const std::string& plugin, const std::string& op,
                           const Json& params) const {
    const Json out = call_kernel(host_, who, "tool.call",
                                 {{"tool", plugin + "." + kCatalogTool},
                                  {"arguments", {{"op", op}, {"params", params}}},
                                  {"workspace", settings_.default_workspace}});
    const Json& content = out.value("content", Json::array());
    const std::string text = content.empty() ? "" : content[0].value("text", "");
    if (out.value("isError", false)) throw std::runtime_error(text.empty() ? plugin + " failed" : text);
    Json parsed = Json::parse(text, nullptr, false);
    if (!parsed.is_object()) throw std::runtime_error(plugin + "." + kCatalogTool + " did not return a JSON object");
    return parsed;
}

Json CatalogExtension::list(const Identity& who, const std::string& op, const std::string& key) const {
    Json all = Json::array();
    for (const auto& plugin : settings_.catalog_plugins) {
        try {
            const Json r = ask(who, plugin, op, Json::object());
            if (r.contains(key) && r[key].is_array())
                for (const auto& item : r[key]) all.push_back(item);
        } catch (const std::exception& e) {
            host_.warn("mcp host: catalog plugin " + plugin + " failed " + op + ": " + e.what());
        }
    }
    return all;
}

Json CatalogExtension::first(const Identity& who, const std::string& op, const Json& params, int not_found_code) const {
    std::string last = "not found";
    for (const auto& plugin : settings_.catalog_plugins) {
        try {
            return ask(who, plugin, op, params);
        } catch (const std::exception& e) {
            last = e.what();
        }
    }
    throw RpcError(not_found_code, last);
}

}  // namespace cowork::mcp
