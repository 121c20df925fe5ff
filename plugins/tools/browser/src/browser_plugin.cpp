#include "browser_plugin.hpp"

#include "browser_tools.hpp"

namespace cowork::browser {

BrowserPlugin::BrowserPlugin(sdk::Host host) : sdk::Plugin(host) {}

BrowserPlugin::~BrowserPlugin() {
    std::lock_guard lock(mutex_);
    if (session_) session_->close();
}

void BrowserPlugin::init() {
    // Config is read once; nothing is launched until the first tool call.
    const BrowserConfig config = BrowserConfig::from_json(host().config());
    const sdk::Host h = host();
    session_ = std::make_unique<BrowserSession>(config, [h](const std::string& m) { h.info(m); });
    register_browser_tools(tools_, *session_, mutex_);
}

void BrowserPlugin::stop(std::chrono::milliseconds) {
    std::lock_guard lock(mutex_);
    if (session_) session_->close();
}

sdk::Json BrowserPlugin::list_tools(const sdk::Json&, sdk::Events&) { return tools_.list(); }

sdk::Json BrowserPlugin::call_tool(const sdk::Json& request, sdk::Events& events) {
    if (!session_) throw sdk::failed("tool.browser is not initialized");
    return tools_.call(request, events);
}

sdk::Json BrowserPlugin::cancel(const sdk::Json& request, sdk::Events&) { return tools_.cancel(request); }

}  // namespace cowork::browser
