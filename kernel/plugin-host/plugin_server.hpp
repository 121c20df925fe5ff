// kernel/plugin-host/plugin_server.hpp — answers the kernel's calls by
// calling the real plugin loaded in this process.
//
// Methods (PROTOCOL.md): plugin.create, plugin.init, plugin.on_all_initialized,
// plugin.start, plugin.stop, plugin.destroy, plugin.get_interface, iface.call;
// notifications bus.deliver and timer.fire go to the HostProxy.
#pragma once

#include "host_proxy.hpp"
#include "library.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace cowork::plugin_host {

class PluginServer {
public:
    PluginServer(std::string plugin_id, LoadedPlugin library);

    // Must be called before the endpoint starts.
    void attach(Endpoint& kernel) { kernel_ = &kernel; }

    Json handle_request(const std::string& method, const Json& params, const Endpoint::EventFn& emit);
    void handle_notification(const std::string& method, const Json& params);

private:
    Json create(const Json& params);
    Json lifecycle(const std::string& phase, const Json& params);
    Json destroy();
    Json get_interface(const Json& params);
    Json call_interface(const Json& params, const Endpoint::EventFn& emit);
    const cowork_plugin& plugin() const;

    const std::string plugin_id_;
    const LoadedPlugin library_;
    Endpoint* kernel_ = nullptr;
    std::unique_ptr<HostProxy> host_;  // kept until exit: the plugin may hold it
    const cowork_plugin* plugin_ = nullptr;
    std::mutex interfaces_mutex_;
    std::map<std::string, const void*> interfaces_;
};

}  // namespace cowork::plugin_host
