#include "web_plugin.hpp"

#include "web_config.hpp"
#include "web_tools.hpp"

namespace cowork::web {

WebPlugin::WebPlugin(sdk::Host host) : sdk::Plugin(host) {}

void WebPlugin::init() {
    // Config is read once; the tools are stateless between calls.
    const WebConfig config = WebConfig::from_json(host().config());
    fetcher_ = std::make_unique<Fetcher>(host(), DomainPolicy(config.allowed_domains, config.blocked_domains),
                                         config.allow_private_hosts);
    router_ = std::make_unique<SearchRouter>(host(), config);
    register_web_fetch(tools_, *fetcher_);
    register_web_search(tools_, *router_);
}

sdk::Json WebPlugin::list_tools(const sdk::Json&, sdk::Events&) { return tools_.list(); }

sdk::Json WebPlugin::call_tool(const sdk::Json& request, sdk::Events& events) {
    if (!fetcher_) throw sdk::failed("tool.web is not initialized");
    return tools_.call(request, events);
}

sdk::Json WebPlugin::cancel(const sdk::Json& request, sdk::Events&) { return tools_.cancel(request); }

}  // namespace cowork::web
