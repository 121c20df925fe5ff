// web_plugin.hpp — tool.web: the Plugin + ToolProvider glue.
#pragma once

#include "fetcher.hpp"
#include "search_router.hpp"

#include <cowork/sdk.hpp>
#include <cowork_tools/tool_set.hpp>

#include <memory>

namespace cowork::web {

class WebPlugin : public sdk::Plugin, public sdk::ToolProvider {
public:
    explicit WebPlugin(sdk::Host host);

    void init() override;
    sdk::Json list_tools(const sdk::Json& request, sdk::Events& events) override;
    sdk::Json call_tool(const sdk::Json& request, sdk::Events& events) override;
    sdk::Json cancel(const sdk::Json& request, sdk::Events& events) override;

private:
    std::unique_ptr<Fetcher> fetcher_;
    std::unique_ptr<SearchRouter> router_;
    tools::ToolSet tools_;
};

}  // namespace cowork::web
