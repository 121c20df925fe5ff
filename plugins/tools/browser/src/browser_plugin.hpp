// browser_plugin.hpp — tool.browser: the Plugin + ToolProvider glue.
#pragma once

#include "browser_session.hpp"

#include <cowork/sdk.hpp>
#include <cowork_tools/tool_set.hpp>

#include <memory>
#include <mutex>

namespace cowork::browser {

class BrowserPlugin : public sdk::Plugin, public sdk::ToolProvider {
public:
    explicit BrowserPlugin(sdk::Host host);
    ~BrowserPlugin() override;

    void init() override;
    // Kills the browser (if any) so nothing outlives the plugin.
    void stop(std::chrono::milliseconds deadline) override;

    sdk::Json list_tools(const sdk::Json& request, sdk::Events& events) override;
    sdk::Json call_tool(const sdk::Json& request, sdk::Events& events) override;
    sdk::Json cancel(const sdk::Json& request, sdk::Events& events) override;

private:
    std::mutex mutex_;  // one call at a time drives the browser
    std::unique_ptr<BrowserSession> session_;
    tools::ToolSet tools_;
};

}  // namespace cowork::browser
