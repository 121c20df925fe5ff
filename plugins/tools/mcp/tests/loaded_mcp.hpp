// loaded_mcp.hpp — the tool.mcp module loaded through its C entry, as the
// kernel loads it: its tools (cowork.tool-provider/1) and its mcp.* methods
// (cowork.methods/1), over a test host.
#pragma once

#include "llm_test_host.hpp"

#include <cowork/abi.h>
#include <cowork/sdk/sink.hpp>

#include <nlohmann/json.hpp>

#include <dlfcn.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace cowork::mcp {

using Json = nlohmann::json;

class LoadedMcp {
public:
    explicit LoadedMcp(llm_testing::TestHost& host) {
        void* handle = ::dlopen(COWORK_TOOL_MCP_SO, RTLD_NOW | RTLD_LOCAL);
        if (!handle) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
        auto* entry = static_cast<const cowork_plugin_entry*>(::dlsym(handle, COWORK_ENTRY_SYMBOL));
        sdk::Collector err;
        if (entry->create(host.raw(), &plugin_, err.sink()) != COWORK_OK) throw std::runtime_error(err.text());
        for (auto step : {plugin_->init, plugin_->on_all_initialized, plugin_->start}) {
            sdk::Collector e;
            if (step(plugin_->self, e.sink()) != COWORK_OK) throw std::runtime_error(e.text());
        }
        tools_ = static_cast<const cowork_tool_provider_v1*>(plugin_->get_interface(plugin_->self, COWORK_IFACE_TOOL_PROVIDER));
        methods_ = static_cast<const cowork_methods_v1*>(plugin_->get_interface(plugin_->self, COWORK_IFACE_METHODS));
        if (!tools_ || !methods_) throw std::runtime_error("interfaces missing");
    }
    ~LoadedMcp() { stop(); }

    void stop() {
        if (!plugin_) return;
        sdk::Collector e;
        plugin_->stop(plugin_->self, 5000, e.sink());
        plugin_->destroy(plugin_->self);
        plugin_ = nullptr;
    }

    Json list() const {
        sdk::Collector out;
        tools_->list_tools(tools_->self, "{}", 2, out.sink());
        return out.json();
    }
    std::vector<std::string> names() const {
        std::vector<std::string> n;
        for (const auto& t : list().value("tools", Json::array())) n.push_back(t["name"]);
        return n;
    }
    bool has_tool(const std::string& name) const {
        const auto n = names();
        return std::find(n.begin(), n.end(), name) != n.end();
    }

    // The result, or {"abiError": status, "error": {...}}; progress events into `events`.
    Json call(const std::string& name, const Json& args, std::vector<Json>* events = nullptr) const {
        const Json req{{"callId", "c-" + name}, {"name", name}, {"arguments", args}, {"context", {{"taskId", "t1"}, {"workspace", "/tmp"}}}};
        sdk::Collector out([events](std::string_view e) {
            if (events) events->push_back(Json::parse(e));
        });
        const std::string text = req.dump();
        const cowork_status st = tools_->call_tool(tools_->self, text.data(), text.size(), out.sink());
        if (st != COWORK_OK) return {{"abiError", st}, {"error", out.json()}};
        return out.json();
    }

    Json method(const std::string& name, const Json& params = Json::object()) const {
        const Json req{{"method", name}, {"params", params}, {"caller", {{"id", "test"}, {"role", "admin"}}}};
        sdk::Collector out;
        const std::string text = req.dump();
        const cowork_status st = methods_->call(methods_->self, text.data(), text.size(), out.sink());
        if (st != COWORK_OK) return {{"abiError", st}, {"error", out.json()}};
        return out.json();
    }

    Json server(const std::string& name) const {
        const Json listed = method("mcp.list");
        for (const auto& s : listed.value("servers", Json::array()))
            if (s["name"] == name) return s;
        return nullptr;
    }

private:
    const cowork_plugin* plugin_ = nullptr;
    const cowork_tool_provider_v1* tools_ = nullptr;
    const cowork_methods_v1* methods_ = nullptr;
};

}  // namespace cowork::mcp
