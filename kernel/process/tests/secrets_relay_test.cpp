// cowork.secrets/1 across the process boundary, both ends in this process:
// the child's sdk::Host → HostProxy ("host.secrets.get" / "host.secrets.put")
// → Endpoint pair → the kernel's HostRelay → a map-backed secrets table.
// A refusal's message reaches the child; an older kernel's table without
// `put` makes the write fail as unsupported instead of calling nothing.
#include "plugin-host/host_proxy.hpp"
#include "process/host_relay.hpp"

#include <cowork/sdk/error.hpp>
#include <cowork/sdk/host.hpp>
#include <cowork/sdk/sink.hpp>

#include <gtest/gtest.h>

#include <sys/socket.h>

#include <map>
#include <mutex>

using namespace cowork::kernel::process;

namespace {

// The kernel's cowork.secrets/1 stand-in: keys under "mcp." only.
struct FakeSecrets {
    cowork_secrets_v1 table{};
    cowork_host host{};
    std::mutex mutex;
    std::map<std::string, std::string> values;

    explicit FakeSecrets(uint32_t struct_size) {
        table = {struct_size, this, &FakeSecrets::get, &FakeSecrets::put};
        host = {sizeof host, COWORK_ABI_MAJOR, COWORK_ABI_MINOR, this, "tool.mcp", "/tmp",
                [](void* ctx, const char* id) -> const void* {
                    return std::string_view(id) == COWORK_SERVICE_SECRETS ? &static_cast<FakeSecrets*>(ctx)->table : nullptr;
                }};
    }
    static cowork_status get(void* ctx, const char* in, size_t size, const cowork_sink* out) {
        auto& self = *static_cast<FakeSecrets*>(ctx);
        const std::string key = Json::parse(std::string(in, size)).value("key", "");
        std::lock_guard lock(self.mutex);
        auto it = self.values.find(key);
        if (it == self.values.end()) {
            cowork::sdk::write_result(out, {{"code", "secrets.not_found"}, {"message", "no secret " + key}});
            return COWORK_E_NOT_FOUND;
        }
        cowork::sdk::write_result(out, {{"value", it->second}});
        return COWORK_OK;
    }
    static cowork_status put(void* ctx, const char* in, size_t size, const cowork_sink* out) {
        auto& self = *static_cast<FakeSecrets*>(ctx);
        const Json req = Json::parse(std::string(in, size));
        const std::string key = req.value("key", "");
        if (key.rfind("mcp.", 0) != 0) {
            cowork::sdk::write_result(out, {{"code", "secrets.undeclared"},
                                            {"message", "plugin 'tool.mcp' did not declare secret:write for '" + key + "'"}});
            return COWORK_E_DENIED;
        }
        std::lock_guard lock(self.mutex);
        if (req["value"].is_string()) self.values[key] = req["value"].get<std::string>();
        else self.values.erase(key);
        cowork::sdk::write_result(out, Json::object());
        return COWORK_OK;
    }
};

struct Link {
    FakeSecrets fake;
    HostRelay relay{&fake.host, "tool.mcp"};
    std::unique_ptr<Endpoint> kernel, child;
    std::unique_ptr<cowork::plugin_host::HostProxy> proxy;

    explicit Link(uint32_t struct_size = sizeof(cowork_secrets_v1)) : fake(struct_size) {
        int fds[2];
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
        Endpoint::Handlers k;
        k.on_request = [this](const std::string& m, const Json& p, const Endpoint::EventFn& emit) {
            return relay.handle_request(m, p, emit);
        };
        kernel = std::make_unique<Endpoint>(fds[0], std::move(k));
        child = std::make_unique<Endpoint>(fds[1], Endpoint::Handlers{});
        relay.attach(kernel.get());
        const auto services = relay.available_services();
        proxy = std::make_unique<cowork::plugin_host::HostProxy>(*child, "tool.mcp", "/tmp",
                                                                 std::set<std::string>(services.begin(), services.end()));
        kernel->start();
        child->start();
    }
    ~Link() {
        child->close();
        kernel->close();
    }
};

}  // namespace

TEST(SecretsRelay, ChildPutsReadsBackAndDeletes) {
    Link link;
    const cowork::sdk::Host host(link.proxy->host());
    host.secret_put("mcp.files.oauth.grant", "grant-1");
    EXPECT_EQ(host.secret("mcp.files.oauth.grant"), "grant-1");
    {
        std::lock_guard lock(link.fake.mutex);
        EXPECT_EQ(link.fake.values.at("mcp.files.oauth.grant"), "grant-1") << "it reached the kernel's table";
    }
    host.secret_delete("mcp.files.oauth.grant");
    EXPECT_THROW(host.secret("mcp.files.oauth.grant"), cowork::sdk::Error);
    std::lock_guard lock(link.fake.mutex);
    EXPECT_TRUE(link.fake.values.empty());
}

TEST(SecretsRelay, RefusalReachesTheChildNamingThePermission) {
    Link link;
    const cowork::sdk::Host host(link.proxy->host());
    try {
        host.secret_put("llm.openai.api_key", "sk-x");
        FAIL() << "the write should be refused";
    } catch (const cowork::sdk::Error& e) {
        EXPECT_EQ(e.status(), COWORK_E_DENIED);
        EXPECT_NE(std::string(e.what()).find("secret:write"), std::string::npos) << e.what();
    }
}

TEST(SecretsRelay, KernelWithoutThePutSlotAnswersUnsupported) {
    Link link(COWORK_SECRETS_V1_BASE_SIZE);  // an older kernel: get only
    link.fake.values["mcp.files.oauth.grant"] = "old";
    const cowork::sdk::Host host(link.proxy->host());
    EXPECT_EQ(host.secret("mcp.files.oauth.grant"), "old");
    try {
        host.secret_put("mcp.files.oauth.grant", "new");
        FAIL() << "the write should be unsupported";
    } catch (const cowork::sdk::Error& e) {
        EXPECT_EQ(e.status(), COWORK_E_UNSUPPORTED) << e.what();
    }
    EXPECT_EQ(link.fake.values.at("mcp.files.oauth.grant"), "old");
}
