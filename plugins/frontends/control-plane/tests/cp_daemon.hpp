// cp_daemon.hpp — a real coworkd with frontend.control-plane on an
// ephemeral port, configured through cowork.toml, for the e2e tests.
#pragma once

#include "process_helpers.hpp"
#include "ws_client.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <memory>

namespace cp_test {

namespace e2e = cowork::e2e;
namespace fs = std::filesystem;

// A coworkd with the control plane on an ephemeral port.
class CpDaemon {
public:
    explicit CpDaemon(Json config = Json::object(), bool fixtures = false) {
        // On by default now; enabling it explicitly must keep working.
        const auto enabled = e2e::run({e2e::bin("cowork").string(), "plugins", "enable", "frontend.control-plane"}, home_);
        EXPECT_EQ(enabled.exit_code, 0) << enabled.out << enabled.err;
        config["port"] = 0;
        const fs::path toml = home_.path() / "config/cowork.toml";
        fs::create_directories(toml.parent_path());
        std::ofstream(toml, std::ios::app) << "\n[plugins.\"frontend.control-plane\"]\n" << to_toml(config);
        fs::permissions(toml, fs::perms::owner_read | fs::perms::owner_write);
        std::vector<std::string> args;
        if (fixtures) args = {"--plugin-dir", e2e::fixture_plugins().string()};
        daemon_ = std::make_unique<e2e::Daemon>(home_, args);
        const fs::path dir = home_.path() / "data/plugin-data/frontend.control-plane";
        std::ifstream in(dir / "listener.json");
        listener_ = Json::parse(in, nullptr, false);
        if (!listener_.is_object()) listener_ = Json::object();  // ok() reports it
        std::ifstream tok(listener_.value("tokenFile", ""));
        std::getline(tok, token_);
    }
    ~CpDaemon() {
        if (daemon_) daemon_->stop(SIGTERM);
    }
    bool ok() const { return daemon_->ready() && !url().empty() && !token_.empty(); }
    std::string url() const { return listener_.value("url", ""); }
    unsigned short port() const { return static_cast<unsigned short>(std::stoi(url().substr(url().rfind(':') + 1))); }
    const std::string& token() const { return token_; }
    e2e::Daemon& daemon() { return *daemon_; }
    const e2e::Home& home() const { return home_; }

    // Pairs a fresh key with the operator token; returns its device id.
    std::string pair(const Identity& id, const std::string& role, const std::string& name = "test") {
        WsClient c(url());
        c.challenge();
        const Json r = c.call("devices.pair", {{"token", token_}, {"publicKey", id.public_key}, {"name", name}, {"role", role}});
        EXPECT_TRUE(r.value("ok", false)) << r.dump();
        return r["payload"].value("deviceId", "");
    }
    // A connected client for a freshly paired device.
    std::unique_ptr<WsClient> client(const std::string& role, const std::vector<std::string>& scopes) {
        const Identity id = Identity::generate();
        const std::string dev = pair(id, role);
        auto c = std::make_unique<WsClient>(url());
        const Json hello = c->connect(dev, id, role, scopes);
        EXPECT_TRUE(hello.value("ok", false)) << hello.dump();
        return c;
    }

private:
    static std::string to_toml(const Json& j) {
        std::string out;
        for (const auto& [k, v] : j.items()) out += k + " = " + v.dump() + "\n";  // JSON scalars/arrays are TOML too
        return out;
    }
    e2e::Home home_;
    std::unique_ptr<e2e::Daemon> daemon_;
    Json listener_;
    std::string token_;
};

}  // namespace cp_test
