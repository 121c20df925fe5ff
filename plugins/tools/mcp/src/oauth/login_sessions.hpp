// login_sessions.hpp — the person's side of the authorization code flow,
// behind mcp.login: starts the flow for a server on its own thread, returns
// the authorization URL as soon as it is known, and completes when the
// browser's redirect reaches the loopback listener (or the time limit
// passes). One session per server; a new login replaces a pending one.
#pragma once

#include "oauth/authorizer.hpp"
#include "server_config.hpp"

#include <condition_variable>
#include <map>
#include <thread>

namespace cowork::mcp::oauth {

class LoginSessions {
public:
    static LoginSessions& instance();
    ~LoginSessions();  // cancels pending logins and joins their threads

    // → {name, authorizationUrl, redirectUri, expiresInSeconds}; throws
    // sdk::Error when the flow fails before a URL exists (discovery, registration).
    Json start(sdk::Host host, const ServerConfig& config, std::chrono::milliseconds redirect_timeout);

    // {state: "pending"|"done"|"failed", message} of the server's last login; null when none.
    Json status(const std::string& server) const;

private:
    struct Session {
        std::mutex mutex;
        std::condition_variable cv;
        std::string url;
        std::string state = "pending";
        std::string message;
        std::shared_ptr<Authorizer> authorizer;
        std::thread thread;
    };
    void run(const std::shared_ptr<Session>& s, sdk::Host host, const ServerConfig& config);

    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Session>> sessions_;
};

}  // namespace cowork::mcp::oauth
