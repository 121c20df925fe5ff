#include "registry.hpp"

#include <cowork/sdk/error.hpp>

#include <dlfcn.h>
#include <filesystem>
#include <fstream>

namespace cowork::mcp {
namespace {

Json fill(const std::string& id, const Json& arg, const Json& params, Json& out) {
    if (!arg.is_string()) throw sdk::failed("registry entry '" + id + "': args must be strings");
    const std::string a = arg.get<std::string>();
    if (a.size() > 5 && a.rfind("{...", 0) == 0 && a.back() == '}') {
        const std::string name = a.substr(4, a.size() - 5);
        if (!params.contains(name) || !params[name].is_array() || params[name].empty())
            throw sdk::invalid("'" + id + "' needs params." + name + ": a non-empty array of strings");
        for (const auto& v : params[name]) {
            if (!v.is_string()) throw sdk::invalid("params." + name + " must hold strings");
            out.push_back(v);
        }
        return out;
    }
    if (a.size() > 2 && a.front() == '{' && a.back() == '}') {
        const std::string name = a.substr(1, a.size() - 2);
        if (!params.contains(name) || !params[name].is_string())
            throw sdk::invalid("'" + id + "' needs params." + name + " (a string)");
        out.push_back(params[name]);
        return out;
    }
    out.push_back(a);
    return out;
}

}  // namespace

Registry Registry::load(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw sdk::failed("the MCP server registry " + path + " is missing; reinstall the tool.mcp plugin");
    Json doc = Json::parse(in, nullptr, false);
    if (!doc.is_object() || !doc.contains("servers") || !doc["servers"].is_object())
        throw sdk::failed("the MCP server registry " + path + " is malformed: expected {\"servers\": {…}}");
    return Registry(std::move(doc));
}

Json Registry::list() const {
    Json out = Json::array();
    for (const auto& [id, e] : doc_["servers"].items())
        out.push_back({{"id", id},
                       {"description", e.value("description", "")},
                       {"package", e.value("package", "")},
                       {"command", e.value("command", "")},
                       {"args", e.value("args", Json::array())},
                       {"params", e.value("params", Json::array())}});
    return out;
}

Json Registry::instantiate(const std::string& id, const Json& params) const {
    if (!doc_["servers"].contains(id))
        throw sdk::not_found("no server '" + id + "' in the MCP registry (see mcp.registry for the list)");
    const Json& e = doc_["servers"][id];
    Json config{{"command", e.value("command", "")}, {"args", Json::array()}};
    const Json p = params.is_object() ? params : Json::object();
    for (const auto& arg : e.value("args", Json::array())) fill(id, arg, p, config["args"]);
    if (e.contains("env")) config["env"] = e["env"];
    return config;
}

std::string plugin_directory() {
    Dl_info info{};
    if (::dladdr(reinterpret_cast<void*>(&plugin_directory), &info) == 0 || !info.dli_fname) return ".";
    return std::filesystem::path(info.dli_fname).parent_path().string();
}

}  // namespace cowork::mcp
