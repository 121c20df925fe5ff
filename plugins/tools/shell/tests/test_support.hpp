// test_support.hpp — a fake kernel host and helpers for tool.shell tests.
#pragma once

#include "sandbox.hpp"
#include "shell_plugin.hpp"

#include <cowork/sdk.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cowork::shell::testing {

using sdk::Json;
namespace fs = std::filesystem;

// A directory removed when the test ends.
class TempDir {
public:
    explicit TempDir(const fs::path& base = fs::temp_directory_path(), const std::string& prefix = "cowork-shell-");
    ~TempDir();
    const fs::path& path() const { return path_; }
    std::string str() const { return path_.string(); }

private:
    fs::path path_;
};

// Serves cowork.log/1 and cowork.config/1, like the kernel would.
class FakeHost {
public:
    FakeHost(Json config, std::string data_dir);
    const cowork_host* raw() const { return &host_; }
    const std::vector<std::string>& logs() const { return logs_; }

private:
    static const void* get_service(void* ctx, const char* id);
    Json config_;
    std::string data_dir_;
    std::vector<std::string> logs_;
    cowork_log_v1 log_{};
    cowork_config_v1 config_service_{};
    cowork_host host_{};
};

struct CallResult {
    cowork_status status = COWORK_OK;
    Json body;                 // the result, or {"code","message"} on failure
    std::vector<Json> events;  // progress events in order

    std::string text() const;  // content[0].text
    std::string message() const { return body.value("message", ""); }
};

// The plugin, created and initialized through the C ABI the kernel uses.
class Harness {
public:
    explicit Harness(Json config = Json::object());
    ~Harness();

    // context defaults: workspace = this harness's workspace, network false.
    CallResult run(Json arguments, Json context = Json::object(), const std::string& call_id = "call-1");
    CallResult cancel(const std::string& call_id);
    CallResult list_tools();
    CallResult call(const Json& raw_request);  // call_tool with a request as given

    const fs::path& workspace() const { return workspace_.path(); }

private:
    CallResult invoke(cowork_json_fn fn, const Json& request);

    TempDir data_dir_;
    TempDir workspace_;
    std::unique_ptr<FakeHost> host_;
    const cowork_plugin* plugin_ = nullptr;
    const cowork_tool_provider_v1* tools_ = nullptr;
};

// What this machine supports, probed once per test binary.
const Capabilities& machine_capabilities();

// PIDs of live (non-zombie) processes whose command line contains `needle`.
std::vector<int> processes_with_cmdline(const std::string& needle);
// Zombie children of this process.
std::vector<int> zombie_children();

// A TCP listener on 127.0.0.1 (ephemeral port), closed on destruction.
class LoopbackListener {
public:
    LoopbackListener();
    ~LoopbackListener();
    int port() const { return port_; }

private:
    int fd_ = -1;
    int port_ = 0;
};

}  // namespace cowork::shell::testing
