// kernel_http.hpp — test-only: the kernel's REAL cowork.http/1 table
// (kernel/app/http_service.hpp) for one provider plugin, allowed to reach
// exactly one local host:port, to plug into llm_testing::TestHost with
// set_http(). Lets provider tests talk to tests/support's ScriptedServer
// byte for byte through the same code path the kernel uses.
// Link: cowork_app cowork_policy cowork_plugins cowork_net.
#pragma once

#include "app/host_table.hpp"
#include "app/http_service.hpp"
#include "plugins/manifest.hpp"
#include "policy/engine.hpp"

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace cowork::llm_testing {

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

}  // namespace cowork::llm_testing
