#include "channels/channel_plugins.hpp"

#include <algorithm>

namespace cowork::kernel::channels {

bool is_channel_plugin(const plugins::Manifest& m) {
    return m.type == "channel" &&
           std::find(m.provides.begin(), m.provides.end(), COWORK_IFACE_CHANNEL) != m.provides.end();
}

PluginView ManagerChannelPlugins::view(const std::string& plugin_id) const {
    PluginView v;
    v.manifest = manifests_(plugin_id);
    const auto status = manager_.status(plugin_id);
    if (!status) return v;
    v.known = true;
    v.restarts = status->restarts;
    v.running = status->state == plugins::State::Running;
    v.state = std::string(plugins::to_string(status->state));
    if (!status->reason.empty()) v.state += "{" + status->phase + ", " + status->reason + "}";
    if (v.running) v.table = static_cast<const cowork_channel_v1*>(manager_.interface(plugin_id, COWORK_IFACE_CHANNEL));
    if (v.running && !v.table) v.running = false;  // crashed between the two questions
    return v;
}

}  // namespace cowork::kernel::channels
