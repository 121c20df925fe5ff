// llm_test_host.hpp — THE test host of the LLM provider plugins:
//   TestHost     a cowork_host serving cowork.log/1, cowork.config/1 (a JSON
//                object), cowork.secrets/1 (a map; absent keys are not_found;
//                put stores into it)
//                and whatever cowork.http/1 table the test plugs in;
//   FakeHttp     a scripted cowork.http/1 (no sockets) for unit tests of the
//                retry/cancel logic;
//   LoadedLlm    a plugin .so loaded through its C entry (dlopen +
//                cowork_entry), driven through its cowork.llm/1 table;
//   EventLog     an sdk::Events that keeps what a stream parser emitted.
// Linked with cowork_llm_wire_testing (which defines
// COWORK_LLM_TESTING_KERNEL_HTTP), also:
//   KernelHttp   the kernel's REAL cowork.http/1 (kernel/app/http_service)
//                for one plugin, allowed to reach only the given host:port;
//   WireHarness  ScriptedServer + KernelHttp + TestHost + LoadedLlm: a
//                provider talking byte for byte to tests/support's scripted
//                server through the same code path the kernel uses.
#pragma once

#include <cowork/abi.h>
#include <cowork/sdk/error.hpp>
#include <cowork/sdk/interfaces.hpp>
#include <cowork/sdk/sink.hpp>

#include <dlfcn.h>

#ifdef COWORK_LLM_TESTING_KERNEL_HTTP
#include "app/host_table.hpp"
#include "app/http_service.hpp"
#include "plugins/manifest.hpp"
#include "policy/engine.hpp"
#include "support/scripted_http_server.hpp"

#include <cstdlib>
#include <memory>
#endif

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace cowork::llm_testing {

using Json = nlohmann::json;

inline void write_json(const cowork_sink* out, const Json& j) { sdk::write_result(out, j); }

class TestHost {
public:
    explicit TestHost(std::string plugin_id, Json config = Json::object()) : id_(std::move(plugin_id)), config_(std::move(config)) {
        host_ = {sizeof(cowork_host), COWORK_ABI_MAJOR, COWORK_ABI_MINOR, this, id_.c_str(), "/tmp", &TestHost::service};
    }
    TestHost(const TestHost&) = delete;
    TestHost& operator=(const TestHost&) = delete;

    const cowork_host* raw() const { return &host_; }
    void set_config(Json c) {
        std::lock_guard lock(mutex_);
        config_ = std::move(c);
    }
    void set_secret(const std::string& key, const std::string& value) {
        std::lock_guard lock(mutex_);
        secrets_[key] = value;
    }
    void set_http(const cowork_http_v1* http) { http_ = http; }
    std::vector<std::string> logs() const {
        std::lock_guard lock(mutex_);
        return logs_;
    }
    std::vector<std::string> secret_requests() const {
        std::lock_guard lock(mutex_);
        return secret_requests_;
    }
    // What the plugin stored through cowork.secrets/1 put (and the test's own).
    std::map<std::string, std::string> secrets() const {
        std::lock_guard lock(mutex_);
        return secrets_;
    }

private:
    static const void* service(void* ctx, const char* id) {
        auto* self = static_cast<TestHost*>(ctx);
        const std::string s(id);
        if (s == COWORK_SERVICE_LOG) return &self->log_;
        if (s == COWORK_SERVICE_CONFIG) return &self->config_table_;
        if (s == COWORK_SERVICE_SECRETS) return &self->secrets_table_;
        if (s == COWORK_SERVICE_HTTP) return self->http_;
        return nullptr;
    }
    static void log(void* ctx, int32_t, const char* msg, size_t size) {
        auto* self = static_cast<TestHost*>(ctx);
        std::lock_guard lock(self->mutex_);
        self->logs_.emplace_back(msg, size);
    }
    static cowork_status config(void* ctx, const char*, size_t, const cowork_sink* out) {
        auto* self = static_cast<TestHost*>(ctx);
        std::lock_guard lock(self->mutex_);
        write_json(out, self->config_);
        return COWORK_OK;
    }
    static cowork_status secret(void* ctx, const char* in, size_t size, const cowork_sink* out) {
        auto* self = static_cast<TestHost*>(ctx);
        const std::string key = Json::parse(in, in + size).value("key", "");
        std::lock_guard lock(self->mutex_);
        self->secret_requests_.push_back(key);
        auto it = self->secrets_.find(key);
        if (it == self->secrets_.end()) {
            write_json(out, {{"code", "secrets.not_found"}, {"message", "no secret " + key}});
            return COWORK_E_NOT_FOUND;
        }
        write_json(out, {{"value", it->second}});
        return COWORK_OK;
    }
    // {"key","value":"…"} stores, {"key","value":null} deletes; every key is allowed.
    static cowork_status secret_put(void* ctx, const char* in, size_t size, const cowork_sink* out) {
        auto* self = static_cast<TestHost*>(ctx);
        const Json request = Json::parse(in, in + size);
        const std::string key = request.value("key", "");
        std::lock_guard lock(self->mutex_);
        if (request["value"].is_string()) self->secrets_[key] = request["value"].get<std::string>();
        else self->secrets_.erase(key);
        write_json(out, Json::object());
        return COWORK_OK;
    }

    std::string id_;
    cowork_host host_{};
    cowork_log_v1 log_{sizeof(cowork_log_v1), this, &TestHost::log};
    cowork_config_v1 config_table_{sizeof(cowork_config_v1), this, &TestHost::config};
    cowork_secrets_v1 secrets_table_{sizeof(cowork_secrets_v1), this, &TestHost::secret, &TestHost::secret_put};
    const cowork_http_v1* http_ = nullptr;
    mutable std::mutex mutex_;
    Json config_;
    std::map<std::string, std::string> secrets_;
    std::vector<std::string> logs_;
    std::vector<std::string> secret_requests_;
};

// One scripted answer of FakeHttp.
struct FakeReply {
    int status = 200;
    Json headers = Json::object();
    std::vector<std::string> chunks;
    std::string error_code;                     // non-empty: fail with this code after the chunks
    cowork_status error_status = COWORK_E_FAILED;
    bool block_until_cancelled = false;         // after the chunks, wait for cancel(requestId)
    bool head_event = true;                     // false: like a kernel without cowork.http/1 head events
};

class FakeHttp {
public:
    FakeHttp() { table_ = {sizeof(cowork_http_v1), this, &FakeHttp::request, &FakeHttp::cancel}; }
    const cowork_http_v1* table() const { return &table_; }
    void enqueue(FakeReply r) {
        std::lock_guard lock(mutex_);
        replies_.push_back(std::move(r));
    }
    std::vector<Json> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    // Blocks until a request is waiting in block_until_cancelled.
    void wait_blocked() {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return blocked_; });
    }

private:
    static cowork_status request(void* ctx, const char* in, size_t size, const cowork_sink* out) {
        auto* self = static_cast<FakeHttp*>(ctx);
        const Json req = Json::parse(in, in + size);
        FakeReply r;
        {
            std::lock_guard lock(self->mutex_);
            self->requests_.push_back(req);
            if (self->replies_.empty()) {
                write_json(out, {{"code", "connect"}, {"message", "no scripted reply"}});
                return COWORK_E_FAILED;
            }
            r = std::move(self->replies_.front());
            self->replies_.pop_front();
        }
        const bool stream = req.value("stream", false);
        if (!r.headers.is_object()) r.headers = Json::object();
        std::string body;
        if (stream && r.head_event) sdk::write_event(out, {{"type", "head"}, {"status", r.status}, {"headers", r.headers}});
        for (const auto& c : r.chunks) {
            if (stream) sdk::write_event(out, {{"type", "chunk"}, {"data", c}});
            body += c;
        }
        if (r.block_until_cancelled) {
            std::unique_lock lock(self->mutex_);
            self->blocked_ = true;
            self->cv_.notify_all();
            self->cv_.wait(lock, [&] { return self->cancelled_.count(req.value("requestId", "")) > 0; });
            write_json(out, {{"code", "cancelled"}, {"message", "request cancelled"}});
            return COWORK_E_CANCELLED;
        }
        if (!r.error_code.empty()) {
            write_json(out, {{"code", r.error_code}, {"message", "scripted " + r.error_code}});
            return r.error_status;
        }
        Json result{{"status", r.status}, {"headers", r.headers}};
        if (stream) result["bytes"] = body.size();
        else result["body"] = body;
        write_json(out, result);
        return COWORK_OK;
    }
    static cowork_status cancel(void* ctx, const char* in, size_t size, const cowork_sink*) {
        auto* self = static_cast<FakeHttp*>(ctx);
        std::lock_guard lock(self->mutex_);
        self->cancelled_[Json::parse(in, in + size).value("requestId", "")] = true;
        self->cv_.notify_all();
        return COWORK_OK;
    }

    cowork_http_v1 table_{};
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<FakeReply> replies_;
    std::vector<Json> requests_;
    std::map<std::string, bool> cancelled_;
    bool blocked_ = false;
};

// What one cowork.llm/1 call produced.
struct LlmOutcome {
    cowork_status status = COWORK_OK;
    Json result;               // the result, or {"code","message"} on failure
    std::vector<Json> events;  // streamed events, in order
    std::string code() const { return result.value("code", ""); }
};

class LoadedLlm {
public:
    LoadedLlm(const std::string& so_path, TestHost& host) {
        handle_ = ::dlopen(so_path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle_) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
        auto* entry = static_cast<const cowork_plugin_entry*>(::dlsym(handle_, COWORK_ENTRY_SYMBOL));
        if (!entry) throw std::runtime_error("no cowork_entry");
        id_ = entry->id;
        sdk::Collector err;
        if (entry->create(host.raw(), &plugin_, err.sink()) != COWORK_OK) throw std::runtime_error(err.text());
        for (auto step : {plugin_->init, plugin_->on_all_initialized, plugin_->start}) {
            sdk::Collector e;
            if (step(plugin_->self, e.sink()) != COWORK_OK) throw std::runtime_error(e.text());
        }
        llm_ = static_cast<const cowork_llm_v1*>(plugin_->get_interface(plugin_->self, COWORK_IFACE_LLM));
        if (!llm_) throw std::runtime_error("no cowork.llm/1");
    }
    ~LoadedLlm() {
        if (plugin_) {
            sdk::Collector e;
            plugin_->stop(plugin_->self, 1000, e.sink());
            plugin_->destroy(plugin_->self);
        }
        // The library stays mapped, as the kernel never unloads one.
    }
    const std::string& id() const { return id_; }

    LlmOutcome complete(const Json& request) const { return invoke(llm_->complete, request); }
    LlmOutcome list_models() const { return invoke(llm_->list_models, Json::object()); }
    LlmOutcome cancel(const std::string& request_id) const { return invoke(llm_->cancel, Json{{"requestId", request_id}}); }

private:
    LlmOutcome invoke(cowork_json_fn fn, const Json& in) const {
        LlmOutcome o;
        std::mutex m;
        sdk::Collector out([&](std::string_view e) {
            std::lock_guard lock(m);
            o.events.push_back(Json::parse(e));
        });
        const std::string text = in.dump();
        o.status = fn(llm_->self, text.data(), text.size(), out.sink());
        o.result = out.json();
        return o;
    }

    void* handle_ = nullptr;
    std::string id_;
    const cowork_plugin* plugin_ = nullptr;
    const cowork_llm_v1* llm_ = nullptr;
};

// Events of one type, in order.
inline std::vector<Json> events_of(const std::vector<Json>& events, const std::string& type) {
    std::vector<Json> out;
    for (const auto& e : events)
        if (e.value("type", "") == type) out.push_back(e);
    return out;
}

// Collects what a stream parser emits, for tests that drive one directly.
struct EventLog {
    std::vector<Json> events;
    sdk::Collector collector{[this](std::string_view e) { events.push_back(Json::parse(e)); }};
    sdk::Events sink{collector.sink()};
};

// A streamed one-message request: {"role":"user"} saying `text`.
inline Json user_request(const std::string& id, const std::string& model, const std::string& text = "hi") {
    return {{"requestId", id}, {"model", model}, {"stream", true},
            {"messages", {{{"role", "user"}, {"content", {{{"type", "text"}, {"text", text}}}}}}}};
}

// A plugin loaded against a FakeHttp (no sockets). Members are public:
// tests script `http`, change `host`'s config and drive `llm`.
struct FakeHarness {
    FakeHarness(const std::string& plugin_id, const std::string& so_path, Json config, const std::string& secret = "")
        : host(plugin_id, std::move(config)) {
        host.set_http(http.table());
        if (!secret.empty()) host.set_secret("plugin." + plugin_id + ".api_key", secret);
        llm = std::make_unique<LoadedLlm>(so_path, host);
    }

    TestHost host;
    FakeHttp http;
    std::unique_ptr<LoadedLlm> llm;
};

#ifdef COWORK_LLM_TESTING_KERNEL_HTTP
// A scripted streamed answer (chunked), optionally cut after its first chunk.
inline cowork::testing::ScriptedResponse streamed(const std::string& content_type, std::vector<std::string> chunks,
                                                  bool close_mid_body = false) {
    cowork::testing::ScriptedResponse r;
    r.headers = {{"Content-Type", content_type}};
    r.chunks = std::move(chunks);
    r.chunked = true;
    r.close_mid_body = close_mid_body;
    return r;
}

inline cowork::testing::ScriptedResponse sse_reply(std::vector<std::string> chunks, bool close_mid_body = false) {
    return streamed("text/event-stream", std::move(chunks), close_mid_body);
}

// A scripted whole JSON answer (an error body, a non-streamed response).
inline cowork::testing::ScriptedResponse json_reply(int status, std::string body,
                                                    std::vector<std::pair<std::string, std::string>> headers = {},
                                                    const std::string& content_type = "application/json") {
    cowork::testing::ScriptedResponse r;
    r.status = status;
    r.headers = std::move(headers);
    r.headers.emplace_back("Content-Type", content_type);
    r.chunks = {std::move(body)};
    return r;
}

class KernelHttp {
public:
    // `net_connect`: the manifest patterns granted, e.g. {"127.0.0.1:PORT"}.
    KernelHttp(const std::string& plugin_id, std::vector<std::string> net_connect) : host_(plugin_id, "/tmp") {
        auto rules = kernel::policy::PolicyRules::from_json(nlohmann::json::object());
        if (!rules.ok()) throw std::runtime_error("policy rules");
        auto engine = kernel::policy::PolicyEngine::create(rules.value(), nullptr);
        if (!engine.ok()) throw std::runtime_error("policy engine");
        policy_ = std::move(engine).value();
        kernel::plugins::Manifest m;
        m.id = plugin_id;
        m.type = plugin_id.substr(0, plugin_id.find('.'));
        m.permissions.net_connect = std::move(net_connect);
        kernel::app::offer_http_service(host_, m, *policy_);
        table_ = static_cast<const cowork_http_v1*>(host_.find(COWORK_SERVICE_HTTP));
        if (!table_) throw std::runtime_error("no cowork.http/1 offered");
    }
    const cowork_http_v1* table() const { return table_; }

private:
    std::unique_ptr<kernel::policy::PolicyEngine> policy_;  // outlives the host's tables
    kernel::app::HostTable host_;
    const cowork_http_v1* table_ = nullptr;
};

// What a wire test sets up for its plugin.
struct WireSetup {
    std::string plugin_id;             // llm.anthropic
    std::string so_path;               // the plugin module
    Json config = Json::object();      // base_url is added: the scripted server (+ base_path)
    std::string base_path;             // e.g. "/v1"
    std::string secret;                // stored under plugin.<id>.api_key when non-empty
    std::vector<std::string> unset_env;  // key variables that must not leak in from the shell
};

// A plugin loaded against the kernel's real http service, which may reach
// only the scripted server. Members are public: tests script `server`,
// inspect its requests, change `host`'s config and drive `llm`.
struct WireHarness {
    explicit WireHarness(const WireSetup& setup)
        : http(setup.plugin_id, {"127.0.0.1:" + std::to_string(server.port())}),
          host(setup.plugin_id, with_base_url(setup.config, server.base_url() + setup.base_path)) {
        for (const auto& name : setup.unset_env) ::unsetenv(name.c_str());
        host.set_http(http.table());
        if (!setup.secret.empty()) host.set_secret("plugin." + setup.plugin_id + ".api_key", setup.secret);
        llm = std::make_unique<LoadedLlm>(setup.so_path, host);
    }

    cowork::testing::ScriptedServer server;
    KernelHttp http;
    TestHost host;
    std::unique_ptr<LoadedLlm> llm;

private:
    static Json with_base_url(Json config, const std::string& url) {
        config["base_url"] = url;
        return config;
    }
};
#endif

}  // namespace cowork::llm_testing
