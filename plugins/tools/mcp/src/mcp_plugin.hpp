// mcp_plugin.hpp — tool.mcp: MCP servers' tools, resources and prompts as
// CoWork tools ("tool.mcp.<server>.<tool>"), plus the mcp.* API methods.
#pragma once

#include "registry.hpp"
#include "server_link.hpp"
#include "server_store.hpp"

#include <cowork/sdk.hpp>
#include <cowork_tools/cancellation.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace cowork::mcp {

class McpPlugin : public sdk::Plugin, public sdk::ToolProvider, public sdk::MethodProvider {
public:
    explicit McpPlugin(sdk::Host host);
    ~McpPlugin() override;

    void init() override;
    void start() override;
    void stop(std::chrono::milliseconds deadline) override;

    sdk::Json list_tools(const sdk::Json& request, sdk::Events& events) override;
    sdk::Json call_tool(const sdk::Json& request, sdk::Events& events) override;
    sdk::Json cancel(const sdk::Json& request, sdk::Events& events) override;
    sdk::Json call_method(const sdk::Json& request, sdk::Events& events) override;

    // For tests: the stdio child pid of a server, or -1.
    int child_pid(const std::string& server) const;

private:
    struct Entry {
        std::shared_ptr<ServerLink> link;
        std::string source;  // "config" (cowork.toml) or "api" (mcp.add)
    };

    std::shared_ptr<ServerLink> find(const std::string& name) const;
    void install(ServerConfig config, const std::string& source, bool apply_overrides = true);
    std::shared_ptr<ServerLink> uninstall(const std::string& name);
    void apply_enabled_overrides(ServerConfig& config) const;
    void set_enabled(const std::string& name, bool enabled);
    const Registry& registry();

    Json builtin_tools(const ServerLink& link) const;
    Json call_builtin(ServerLink& link, const std::string& what, const Json& args, const std::string& call_id,
                      sdk::Events& events, const std::function<bool()>& cancelled);

    // mcp.* API methods (mcp_methods.cpp)
    Json method_list() const;
    Json method_add(const Json& params);
    Json method_remove(const Json& params);
    Json method_enable(const Json& params, bool enabled);
    Json method_test(const Json& params);
    Json method_registry();

    std::vector<ServerConfig> configured_;  // from cowork.toml, read in init
    ServerStore store_;
    std::optional<Registry> registry_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> servers_;
    tools::CancelRegistry running_;
    bool started_ = false;
    std::chrono::milliseconds startup_wait_{10000};
};

}  // namespace cowork::mcp
