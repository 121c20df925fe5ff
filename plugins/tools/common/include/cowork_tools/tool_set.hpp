// tool_set.hpp — the dispatch every tool plugin needs: list the specs, find
// the handler by name, confine the call to its workspace, turn ToolFailure
// into an isError result, and wire cancel to a token.
#pragma once

#include "cowork_tools/arguments.hpp"
#include "cowork_tools/cancellation.hpp"
#include "cowork_tools/confinement.hpp"
#include "cowork_tools/tool_result.hpp"

#include <cowork/sdk/interfaces.hpp>

#include <functional>
#include <map>
#include <string>

namespace cowork::tools {

struct CallContext {
    const Confinement& fs;
    const Arguments& args;
    sdk::Events& events;
    CancelToken cancel;

    // {"type":"progress","progress":fraction,"message":message}
    void progress(double fraction, const std::string& message) const;
};

using ToolHandler = std::function<Json(CallContext&)>;

class ToolSet {
public:
    void add(ToolSpec spec, ToolHandler handler);
    Json list() const;
    Json call(const Json& request, sdk::Events& events);
    Json cancel(const Json& request);

private:
    struct Entry {
        ToolSpec spec;
        ToolHandler handler;
    };
    std::map<std::string, Entry> tools_;
    std::vector<std::string> order_;
    CancelRegistry running_;
};

}  // namespace cowork::tools
