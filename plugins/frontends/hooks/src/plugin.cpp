// plugin.cpp — frontend.hooks: reads the config, refuses to start without
// the hooks token, wires the endpoints to the HTTP server and tells tools
// where it listens (listener.json in the plugin's data dir).
#include "endpoints.hpp"
#include "hooks_config.hpp"
#include "http_server.hpp"
#include "rate_limiter.hpp"
#include "secret_cache.hpp"
#include "session_keys.hpp"

#include <cowork/sdk/plugin.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cowork::hooks {
namespace {

// Long enough that a request flood is not a flood of secret reads, short
// enough that a rotated token takes over quickly.
constexpr std::chrono::seconds kSecretTtl{30};

}  // namespace

class HooksPlugin : public sdk::Plugin, public sdk::Frontend {
public:
    using sdk::Plugin::Plugin;

    void start() override {
        config_ = parse_config(host().config());
        secrets_ = std::make_unique<SecretCache>(host(), kSecretTtl);
        require_token();
        sessions_ = std::make_unique<SessionKeys>(host());
        sessions_->migrate();
        limiter_ = std::make_unique<cp::RateLimiter>(config_.max_failed_auths, config_.ban);
        endpoints_ = std::make_unique<Endpoints>(EndpointDeps{host(), config_, *limiter_, *secrets_, *sessions_});
        server_ = std::make_unique<HttpServer>(config_, *endpoints_);
        try {
            server_->start();
        } catch (const std::exception& e) {
            server_.reset();
            host().error(std::string("hooks: ") + e.what());
            throw sdk::failed(e.what());
        }
        write_listener_file(std::filesystem::path(host().data_dir()) / "listener.json");
        host().info("hooks listening on " + base_url() + config_.base_path + " (" +
                    std::to_string(config_.mappings.size()) + " mapped endpoints)");
    }

    void stop(std::chrono::milliseconds) override {
        if (server_) server_->stop();
        server_.reset();
    }

    Json describe(const Json&, sdk::Events&) override {
        if (!server_) return {{"listeners", Json::array()}};
        Json out = server_->stats();
        out["listeners"] = Json::array({{{"url", base_url() + config_.base_path}, {"health", base_url() + "/health"}, {"tls", false}}});
        Json paths = Json::array();
        for (const auto& m : config_.mappings) paths.push_back({{"path", m.path}, {"action", action_name(m.action)}});
        out["mappings"] = paths;
        return out;
    }

private:
    // Hooks accept work from other programs; without a token anyone on this
    // machine could start agent tasks, so no token means no listener.
    void require_token() {
        const auto token = secrets_->get(config_.token_secret);
        if (token.value) return;
        const std::string message =
            "REFUSING TO START: no hooks token (" + token.problem + "). Create one with `openssl rand -base64 32 | cowork "
            "secrets set " + config_.token_secret + "` and restart coworkd; send it as Authorization: Bearer <token>.";
        host().error("hooks: " + message);
        throw sdk::denied(message);
    }

    std::string base_url() const { return "http://" + config_.bind + ":" + std::to_string(server_->port()); }

    // For tools and tests: where the listener is (never the token).
    void write_listener_file(const std::filesystem::path& file) const {
        const std::string tmp = file.string() + ".tmp";
        {
            std::ofstream out(tmp, std::ios::trunc);
            out << Json{{"url", base_url() + config_.base_path},
                        {"base", base_url()},
                        {"health", base_url() + "/health"},
                        {"port", server_->port()},
                        {"pid", ::getpid()}}
                       .dump();
        }
        std::filesystem::rename(tmp, file);
    }

    HooksConfig config_;
    std::unique_ptr<SecretCache> secrets_;
    std::unique_ptr<SessionKeys> sessions_;
    std::unique_ptr<cp::RateLimiter> limiter_;
    std::unique_ptr<Endpoints> endpoints_;
    std::unique_ptr<HttpServer> server_;
};

}  // namespace cowork::hooks

COWORK_PLUGIN(cowork::hooks::HooksPlugin, "frontend.hooks", "0.1.0");
