// registry.hpp — the catalogue of well-known MCP servers shipped next to the
// plugin (registry.json): command/args templates so `mcp.add {from:
// "filesystem", params: {paths: [...]}}` installs one in a single step.
//
// Templates: an argument "{name}" is replaced by the string param `name`;
// "{...name}" expands to the array param `name` (one argument per element).
// A missing required param is an error naming it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::mcp {

using Json = nlohmann::json;

class Registry {
public:
    // Throws sdk::failed when the file is missing or malformed.
    static Registry load(const std::string& path);
    explicit Registry(Json doc) : doc_(std::move(doc)) {}

    // [{id, description, package, transport, params}]
    Json list() const;
    // A server config table (command/args…) from entry `id` with `params` filled in.
    Json instantiate(const std::string& id, const Json& params) const;

private:
    Json doc_;
};

// The directory holding this plugin's library (where registry.json ships).
std::string plugin_directory();

}  // namespace cowork::mcp
