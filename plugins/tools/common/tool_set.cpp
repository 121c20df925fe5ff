#include "cowork_tools/tool_set.hpp"

#include "cowork_tools/tool_failure.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::tools {

void CallContext::progress(double fraction, const std::string& message) const {
    events.emit({{"type", "progress"}, {"progress", fraction}, {"message", message}});
}

void ToolSet::add(ToolSpec spec, ToolHandler handler) {
    order_.push_back(spec.name);
    std::string name = spec.name;
    tools_.emplace(std::move(name), Entry{std::move(spec), std::move(handler)});
}

Json ToolSet::list() const {
    Json tools = Json::array();
    for (const auto& name : order_) tools.push_back(describe(tools_.at(name).spec));
    return {{"tools", tools}};
}

Json ToolSet::call(const Json& request, sdk::Events& events) {
    if (!request.is_object()) throw sdk::invalid("call_tool: request must be an object");
    const std::string name = request.value("name", "");
    auto it = tools_.find(name);
    if (it == tools_.end()) throw sdk::not_found("no tool named '" + name + "'");
    const Json no_args = Json::object();
    const Arguments args(request.contains("arguments") ? request["arguments"] : no_args, name);
    const Confinement fs = Confinement::from_context(request.value("context", Json::object()));
    auto guard = running_.begin(request.value("callId", ""));
    CallContext ctx{fs, args, events, guard.token()};
    try {
        return it->second.handler(ctx);
    } catch (const ToolFailure& failure) {
        return error_result(name + ": " + failure.what());
    }
}

Json ToolSet::cancel(const Json& request) {
    const std::string id = request.is_object() ? request.value("callId", "") : "";
    return {{"cancelled", running_.cancel(id)}};
}

}  // namespace cowork::tools
