// test_support.hpp — a fake host (cowork.log/1 + cowork.config/1), the
// plugin driven through its C entry, and a tiny HTTP server on 127.0.0.1.
#pragma once

#include <cowork/sdk.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace cowork::browser::testing {

using sdk::Json;
namespace fs = std::filesystem;

class Harness {
public:
    explicit Harness(Json config);
    ~Harness();
    // call_tool; an ABI error comes back as {"abiError":status,"error":{…}}.
    Json call(const std::string& tool, const Json& args = Json::object());
    const fs::path& workspace() const { return workspace_; }

private:
    struct Host;
    std::unique_ptr<Host> host_;
    fs::path workspace_;
    const cowork_plugin* plugin_ = nullptr;
    const cowork_tool_provider_v1* tools_ = nullptr;
};

std::string text_of(const Json& result);
bool is_error(const Json& result);

// Serves fixed responses by path; anything else is 404.
class HttpServer {
public:
    struct Response {
        int status = 200;
        std::string body;
        std::string location;  // for 3xx
    };
    explicit HttpServer(std::map<std::string, Response> routes);
    ~HttpServer();
    int port() const { return port_; }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

private:
    void serve();
    std::map<std::string, Response> routes_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

// Live (non-zombie) processes whose command line contains `needle`.
std::vector<int> processes_with(const std::string& needle);
// Any process (zombie or not) in process group `pgid`.
bool group_alive(int pgid);

}  // namespace cowork::browser::testing
