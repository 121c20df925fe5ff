// plugin.cpp — frontend.mcp-host: wires settings, tokens, the kernel-backed
// catalogs and the two transports together, and turns kernel events into
// MCP notifications (tools/list_changed, resources/updated).
#include "dispatcher.hpp"
#include "http_server.hpp"
#include "session_table.hpp"
#include "settings.hpp"
#include "stdio_transport.hpp"
#include "token_book.hpp"

#include <cowork/sdk/plugin.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cowork::mcp {
namespace {

constexpr const char* kVersion = "0.1.0";

// The identity the host itself uses to watch the tool list (read is enough).
const Identity kWatcher{"host", "read"};
// `cowork mcp serve` runs as the local user who started it, like the CLI.
const Identity kStdioIdentity{"stdio", "operator"};

std::string token_help(const std::string& name) {
    return "  openssl rand -base64 32 | cowork secrets set " + token_secret_key(name) +
           "\nand list the identity in cowork.toml:\n  [plugins.\"frontend.mcp-host\"]\n  identities = [{ name = \"" + name +
           "\", role = \"operator\" }]   # or role = \"read\"";
}

}  // namespace

class McpHost : public sdk::Plugin, public sdk::Frontend {
public:
    using sdk::Plugin::Plugin;

    void start() override {
        settings_ = parse_settings(host().config());
        sessions_ = std::make_unique<SessionTable>(settings_.max_sessions);
        extension_ = std::make_unique<CatalogExtension>(host(), settings_);
        tools_ = std::make_unique<ToolCatalog>(host(), settings_);
        resources_ = std::make_unique<ResourceCatalog>(host(), *extension_);
        prompts_ = std::make_unique<PromptCatalog>(host(), *extension_);
        dispatcher_ = std::make_unique<Dispatcher>(Catalogs{*tools_, *resources_, *prompts_}, settings_.page_size, kVersion);
        // `cowork mcp serve` serves stdio only: the daemon owns the HTTP listener.
        if (auto fds = stdio_fds_from_env()) start_stdio(*fds);
        else if (settings_.http) start_http();
        watch_kernel();
    }

    void stop(std::chrono::milliseconds) override {
        subs_.clear();
        poll_.reset();
        if (http_) http_->stop();
        if (stdio_) stdio_->stop();
        http_.reset();
        stdio_.reset();
    }

    Json describe(const Json&, sdk::Events&) override {
        Json listeners = Json::array();
        if (http_) listeners.push_back({{"url", url()}, {"tls", false}});
        return {{"listeners", listeners}, {"sessions", sessions_ ? sessions_->size() : 0}, {"stdio", stdio_ != nullptr}};
    }

private:
    std::string url() const { return "http://" + settings_.bind + ":" + std::to_string(http_->port()) + settings_.path; }

    void start_stdio(const StdioFds& fds) {
        auto session = std::make_shared<Session>("stdio", kStdioIdentity);
        sessions_->add(session);
        stdio_ = std::make_unique<StdioTransport>(fds, session, *dispatcher_, settings_.max_body);
        // Read nothing before every plugin runs: plugins after this one in start
        // order (tool.*) would be missing from the first tools/list and tools/call.
        subs_.push_back(host().subscribe("kernel.ready", [this](const std::string&, const Json&) {
            if (stdio_) stdio_->start();
            host().info("mcp host: serving MCP on stdio");
        }));
    }

    void start_http() {
        load_tokens();
        http_ = std::make_unique<HttpServer>(settings_, tokens_, *sessions_, *dispatcher_);
        try {
            http_->start();
        } catch (const std::exception& e) {
            http_.reset();
            throw sdk::failed(std::string("mcp host: ") + e.what());
        }
        write_listener_file(std::filesystem::path(host().data_dir()) / "listener.json");
        host().info("mcp host: Streamable HTTP on " + url() + " for " + std::to_string(tokens_.size()) + " identities");
    }

    // Each configured identity's token from the secrets service; the
    // listener does not start without at least one.
    void load_tokens() {
        std::string problems;
        for (const auto& spec : settings_.identities) {
            try {
                const std::string token = host().secret(token_secret_key(spec.name));
                if (token.size() < TokenBook::kMinTokenLength) {
                    problems += "\n- " + spec.name + ": token shorter than " + std::to_string(TokenBook::kMinTokenLength) + " characters";
                    continue;
                }
                tokens_.add({spec.name, spec.role}, token);
            } catch (const std::exception& e) {
                problems += "\n- " + spec.name + ": " + e.what();
            }
        }
        if (!problems.empty()) host().warn("mcp host: identities without a usable token:" + problems);
        if (tokens_.empty())
            throw sdk::failed("mcp host: http = true but no identity has a usable bearer token" + problems +
                              "\nCreate one:\n" + token_help(settings_.identities.empty() ? "claude" : settings_.identities.front().name));
    }

    // Where the listener is (never a token): for `cowork`, scripts and tests.
    void write_listener_file(const std::filesystem::path& file) const {
        Json names = Json::array();
        for (const auto& i : settings_.identities) names.push_back(i.name);
        const std::string tmp = file.string() + ".tmp";
        {
            std::ofstream out(tmp, std::ios::trunc);
            out << Json{{"url", url()}, {"pid", ::getpid()}, {"identities", names}}.dump();
        }
        std::filesystem::rename(tmp, file);
    }

    // The kernel publishes no plugin-state events, so the host compares the
    // tool list after boot and every tools_poll seconds.
    void watch_kernel() {
        auto check_tools = [this] {
            try {
                const std::string now = tools_->list(kWatcher).dump();
                std::lock_guard lock(tools_mutex_);
                if (!last_tools_.empty() && now != last_tools_)
                    sessions_->each([](Session& s) { (void)s.push(notification("notifications/tools/list_changed", Json::object())); });
                last_tools_ = now;
            } catch (const std::exception& e) {
                host().warn(std::string("mcp host: tool.list failed: ") + e.what());
            }
        };
        try {
            subs_.push_back(host().subscribe("kernel.ready", [check_tools](const std::string&, const Json&) { check_tools(); }));
            subs_.push_back(host().subscribe("task.updated", [this](const std::string&, const Json& task) { task_changed(task); }));
            poll_ = host().every(settings_.tools_poll, settings_.tools_poll, check_tools);
        } catch (const std::exception& e) {
            host().warn(std::string("mcp host: no change notifications: ") + e.what());
        }
    }

    void task_changed(const Json& task) {
        const std::string one = "cowork://tasks/" + task.value("id", "");
        sessions_->each([&](Session& s) {
            for (const std::string& uri : {one, std::string("cowork://tasks")})
                if (s.subscribed(uri)) (void)s.push(notification("notifications/resources/updated", {{"uri", uri}}));
        });
    }

    Settings settings_;
    TokenBook tokens_;
    std::unique_ptr<SessionTable> sessions_;
    std::unique_ptr<CatalogExtension> extension_;
    std::unique_ptr<ToolCatalog> tools_;
    std::unique_ptr<ResourceCatalog> resources_;
    std::unique_ptr<PromptCatalog> prompts_;
    std::unique_ptr<Dispatcher> dispatcher_;
    std::unique_ptr<HttpServer> http_;
    std::unique_ptr<StdioTransport> stdio_;
    std::mutex tools_mutex_;
    std::string last_tools_;
    std::vector<sdk::Subscription> subs_;
    sdk::Timer poll_;
};

}  // namespace cowork::mcp

COWORK_PLUGIN(cowork::mcp::McpHost, "frontend.mcp-host", "0.1.0");
