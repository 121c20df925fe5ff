// plugin_harness.hpp — test-only: load a built tool plugin through its C
// entry point (dlopen + cowork_entry) with a fake host that serves only
// cowork.log/1, and build scratch workspaces. Exercises the real ABI,
// including the exception barrier, without the kernel.
#pragma once

#include <cowork/abi.h>
#include <cowork/sdk/sink.hpp>

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cowork::tools::testing {

namespace fs = std::filesystem;
using Json = nlohmann::json;

class LoadedPlugin {
public:
    explicit LoadedPlugin(const std::string& so_path) {
        handle_ = ::dlopen(so_path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle_) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
        auto* entry = static_cast<const cowork_plugin_entry*>(::dlsym(handle_, COWORK_ENTRY_SYMBOL));
        if (!entry) throw std::runtime_error("no cowork_entry");
        id_ = entry->id;
        host_ = {sizeof(cowork_host), COWORK_ABI_MAJOR, COWORK_ABI_MINOR, this, id_.c_str(), "/tmp", &service};
        sdk::Collector err;
        if (entry->create(&host_, &plugin_, err.sink()) != COWORK_OK) throw std::runtime_error(err.text());
        sdk::Collector e2;
        if (plugin_->init(plugin_->self, e2.sink()) != COWORK_OK) throw std::runtime_error(e2.text());
        tools_ = static_cast<const cowork_tool_provider_v1*>(plugin_->get_interface(plugin_->self, COWORK_IFACE_TOOL_PROVIDER));
        if (!tools_) throw std::runtime_error("no tool provider");
    }
    ~LoadedPlugin() {
        if (plugin_) plugin_->destroy(plugin_->self);
        // The library stays mapped: gtest may still hold pointers to its strings.
    }

    Json list() const { return invoke(tools_->list_tools, Json::object(), nullptr); }

    // Returns the result object; an ABI error becomes {"abiError":status,"error":{...}}.
    Json call(const std::string& name, const Json& args, const std::string& workspace,
              const std::vector<std::string>& allowed = {}, std::vector<Json>* events = nullptr,
              const std::string& call_id = "call-1") const {
        Json req{{"callId", call_id}, {"name", name}, {"arguments", args},
                 {"context", {{"taskId", "t1"}, {"workspace", workspace}, {"allowedRoots", allowed}}}};
        return invoke(tools_->call_tool, req, events);
    }
    void cancel(const std::string& call_id) const { invoke(tools_->cancel, Json{{"callId", call_id}}, nullptr); }

    std::vector<std::string> logs() const {
        std::lock_guard lock(mutex_);
        return logs_;
    }

private:
    Json invoke(cowork_json_fn fn, const Json& in, std::vector<Json>* events) const {
        std::mutex event_mutex;
        sdk::Collector out([&](std::string_view e) {
            if (!events) return;
            std::lock_guard lock(event_mutex);
            events->push_back(Json::parse(e));
        });
        const std::string text = in.dump();
        const cowork_status st = fn(tools_->self, text.data(), text.size(), out.sink());
        if (st != COWORK_OK) return Json{{"abiError", st}, {"error", out.json()}};
        return out.json();
    }
    static const void* service(void* ctx, const char* id) {
        auto* self = static_cast<LoadedPlugin*>(ctx);
        return std::string(id) == COWORK_SERVICE_LOG ? &self->log_ : nullptr;
    }
    static void log(void* ctx, int32_t, const char* msg, size_t size) {
        auto* self = static_cast<LoadedPlugin*>(ctx);
        std::lock_guard lock(self->mutex_);
        self->logs_.emplace_back(msg, size);
    }

    void* handle_ = nullptr;
    std::string id_;
    cowork_host host_{};
    cowork_log_v1 log_{sizeof(cowork_log_v1), this, &LoadedPlugin::log};
    const cowork_plugin* plugin_ = nullptr;
    const cowork_tool_provider_v1* tools_ = nullptr;
    mutable std::mutex mutex_;
    std::vector<std::string> logs_;
};

// The result's text, joined.
inline std::string text_of(const Json& result) {
    std::string out;
    if (result.contains("content"))
        for (const auto& c : result["content"]) out += c.value("text", "");
    return out;
}
inline bool is_error(const Json& result) { return result.value("isError", false); }

// A scratch directory holding a workspace ("ws") and an "outside" sibling.
class Scratch {
public:
    Scratch() {
        std::string tmpl = (fs::temp_directory_path() / "cowork-tools-XXXXXX").string();
        if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        base_ = fs::canonical(tmpl);
        fs::create_directories(ws());
        fs::create_directories(outside());
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(base_, ec);
    }
    fs::path ws() const { return base_ / "ws"; }
    fs::path outside() const { return base_ / "outside"; }
    fs::path base() const { return base_; }

    static void write(const fs::path& p, const std::string& content) {
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << content;
    }
    static std::string read(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

private:
    fs::path base_;
};

}  // namespace cowork::tools::testing
