// server_link.hpp — one configured MCP server kept connected: connects in
// the background, reconnects with exponential backoff when the connection
// drops, keeps the tool list fresh (list_changed), and runs calls with the
// server's limits. Thread-safe; every public method may be called from any
// thread.
#pragma once

#include "mcp_client.hpp"
#include "server_config.hpp"
#include "tool_names.hpp"

#include <cowork/sdk/host.hpp>
#include <cowork/sdk/interfaces.hpp>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace cowork::mcp {

struct LinkStatus {
    std::string state;  // disabled | connecting | ready | backoff | stopped
    std::string transport;
    std::string last_error;
    size_t tools = 0;
    size_t reconnects = 0;
    Json server_info = Json::object();
    std::string protocol_version;
};

class ServerLink {
public:
    ServerLink(sdk::Host host, ServerConfig config);
    ~ServerLink();  // stop()

    void start();  // begins connecting in the background (no-op when disabled)
    void stop();   // closes the session, ends the child process group; idempotent
    // Waits until the first connection attempt finished (either way) or `until`.
    void wait_first_attempt(std::chrono::steady_clock::time_point until);

    const ServerConfig& config() const { return config_; }
    LinkStatus status() const;

    // {name, description, inputSchema, annotations} as this plugin lists them
    // (names "<server>.<tool>"); empty until connected.
    Json listed_tools() const;

    // Runs one listed tool (the part after "<server>."). Waits up to the
    // connect timeout for a connection. `call_id` is the kernel's callId: the
    // server's elicitation and sampling requests meanwhile are put to whoever
    // started that call (kernel API tool.request). Throws sdk::Error.
    Json call(const std::string& tool_part, const Json& arguments, const std::string& call_id, sdk::Events& events,
              const std::function<bool()>& cancelled);

    // Connects now (or reuses the session) and reports what the server offers.
    Json test();

    // The live client for direct protocol calls (resources, prompts); throws when not connected in time.
    std::shared_ptr<McpClient> client(std::chrono::milliseconds wait);

    // For tests: the pid of the stdio child, or -1.
    int child_pid() const;

private:
    std::unique_ptr<Transport> make_transport();
    std::shared_ptr<McpClient> connect_once();
    void supervise();
    void refresh_tools(const std::shared_ptr<McpClient>& client);
    void on_notification(const std::string& method, const Json& params);
    Json tool_spec(const Json& mcp_tool, const std::string& listed) const;
    void log(int level, const std::string& text) const;

    sdk::Host host_;
    ServerConfig config_;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::shared_ptr<McpClient> client_;
    std::string state_ = "stopped";
    std::string last_error_;
    size_t reconnects_ = 0;
    bool stopping_ = false;
    bool lost_ = false;
    Json tools_ = Json::array();  // MCP tool objects
    ToolNames names_;
    std::thread supervisor_;
};

}  // namespace cowork::mcp
