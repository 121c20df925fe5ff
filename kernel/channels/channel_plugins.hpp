// kernel/channels/channel_plugins.hpp — what the registry needs to know about
// channel plugins, and nothing more: the manifest (type, configSchema), the
// state, how often it was restarted, and its cowork.channel/1 table.
#pragma once

#include "plugins/manager.hpp"
#include "plugins/manifest.hpp"

#include <cowork/abi.h>

#include <functional>
#include <optional>
#include <string>

namespace cowork::kernel::channels {

struct PluginView {
    std::optional<plugins::Manifest> manifest;  // empty: never read, or unknown id
    bool known = false;                          // the manager has a record of it
    std::string state;                           // "Running", "Failed{run, …}": for messages
    bool running = false;
    unsigned restarts = 0;                       // a change means a new instance lost every open channel
    const cowork_channel_v1* table = nullptr;    // set while running
};

// [any-thread]
class ChannelPlugins {
public:
    virtual ~ChannelPlugins() = default;
    virtual PluginView view(const std::string& plugin_id) const = 0;
};

// The kernel's source: the plugin manager plus the manifests the kernel
// kept while wiring host tables (only plugins that reached load).
using ManifestLookup = std::function<std::optional<plugins::Manifest>(const std::string& plugin_id)>;

class ManagerChannelPlugins final : public ChannelPlugins {
public:
    // Both must outlive this object.
    ManagerChannelPlugins(const plugins::PluginManager& manager, ManifestLookup manifests)
        : manager_(manager), manifests_(std::move(manifests)) {}
    PluginView view(const std::string& plugin_id) const override;

private:
    const plugins::PluginManager& manager_;
    ManifestLookup manifests_;
};

// True when `m` declares itself a channel: type "channel" and provides cowork.channel/1.
bool is_channel_plugin(const plugins::Manifest& m);

}  // namespace cowork::kernel::channels
