// web_harness.hpp — tool.web loaded through its C entry (dlopen +
// cowork_entry) with the LLM plugins' test host (cowork.log/1,
// cowork.config/1, cowork.secrets/1) and the kernel's REAL cowork.http/1
// (KernelHttp: kernel/app/http_service, so ssrfGuard is really enforced).
#pragma once

#include "llm_test_host.hpp"

#include <cowork/sdk/sink.hpp>

#include <dlfcn.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace cowork::web::testing {

using Json = nlohmann::json;

class LoadedWebPlugin {
public:
    explicit LoadedWebPlugin(llm_testing::TestHost& host) {
        void* handle = ::dlopen(COWORK_TOOL_WEB_SO, RTLD_NOW | RTLD_LOCAL);
        if (!handle) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
        auto* entry = static_cast<const cowork_plugin_entry*>(::dlsym(handle, COWORK_ENTRY_SYMBOL));
        if (!entry) throw std::runtime_error("no cowork_entry");
        sdk::Collector err;
        if (entry->create(host.raw(), &plugin_, err.sink()) != COWORK_OK) throw std::runtime_error(err.text());
        for (auto step : {plugin_->init, plugin_->on_all_initialized, plugin_->start}) {
            sdk::Collector e;
            if (step(plugin_->self, e.sink()) != COWORK_OK) throw std::runtime_error(e.text());
        }
        tools_ = static_cast<const cowork_tool_provider_v1*>(plugin_->get_interface(plugin_->self, COWORK_IFACE_TOOL_PROVIDER));
        if (!tools_) throw std::runtime_error("no cowork.tool-provider/1");
    }
    ~LoadedWebPlugin() {
        sdk::Collector e;
        plugin_->stop(plugin_->self, 1000, e.sink());
        plugin_->destroy(plugin_->self);
    }

    // The call_tool result; an ABI error becomes {"abiError":status,"error":{…}}.
    Json call(const std::string& name, const Json& args) const {
        const Json req{{"callId", "c1"}, {"name", name}, {"arguments", args}, {"context", {{"taskId", "t1"}, {"workspace", "/tmp"}}}};
        sdk::Collector out;
        const std::string text = req.dump();
        const cowork_status st = tools_->call_tool(tools_->self, text.data(), text.size(), out.sink());
        if (st != COWORK_OK) return Json{{"abiError", st}, {"error", out.json()}};
        return out.json();
    }
    Json list() const {
        sdk::Collector out;
        tools_->list_tools(tools_->self, "{}", 2, out.sink());
        return out.json();
    }

private:
    const cowork_plugin* plugin_ = nullptr;
    const cowork_tool_provider_v1* tools_ = nullptr;
};

// The plugin with `config`, allowed by its manifest to connect anywhere
// (net:connect "*", as shipped); the SSRF guard is what keeps it off 127.0.0.1.
struct WebHarness {
    explicit WebHarness(Json config = Json::object()) : http("tool.web", {"*"}), host("tool.web", std::move(config)) {
        host.set_http(http.table());
        plugin = std::make_unique<LoadedWebPlugin>(host);
    }
    llm_testing::KernelHttp http;
    llm_testing::TestHost host;
    std::unique_ptr<LoadedWebPlugin> plugin;
};

inline std::string text_of(const Json& result) {
    std::string out;
    if (result.contains("content"))
        for (const auto& c : result["content"]) out += c.value("text", "");
    return out;
}
inline bool is_error(const Json& r) { return r.value("isError", false); }
inline bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace cowork::web::testing
