// server_store.hpp — servers added through the API (mcp.add), kept in the
// plugin's own SQLite table p_tool_mcp_servers so they survive restarts.
// Servers from cowork.toml are not stored here: the file stays the
// operator's, and a name there cannot be added again through the API.
#pragma once

#include "server_config.hpp"

#include <cowork/sdk/host.hpp>

#include <vector>

namespace cowork::mcp {

class ServerStore {
public:
    explicit ServerStore(sdk::Host host) : host_(host) {}

    // Creates the table; throws sdk::Error when the kernel offers no storage.
    void open();
    bool available() const { return open_; }

    // Stored servers; entries that no longer validate go to `problems`.
    std::vector<ServerConfig> load(std::vector<std::string>& problems) const;
    void save(const ServerConfig& config) const;
    bool remove(const std::string& name) const;
    // Remembers mcp.enable/mcp.disable for any server (config or API).
    void set_enabled(const std::string& name, bool enabled) const;

private:
    std::string table() const { return host_.table_prefix() + "servers"; }
    sdk::Host host_;
    bool open_ = false;
};

}  // namespace cowork::mcp
