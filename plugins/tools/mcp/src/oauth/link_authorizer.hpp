// link_authorizer.hpp — the Authorizer a configured server's connections
// use: tokens from the secrets service (mcp.<server>.oauth.grant), no
// person at hand (a needed login is reported, and mcp.login runs it).
#pragma once

#include "oauth/authorizer.hpp"
#include "server_config.hpp"

namespace cowork::mcp::oauth {

// What every Authorizer for `config` shares: the server, its oauth settings,
// its grant in the secrets service, the HTTP timeout.
AuthorizerOptions options_for(sdk::Host host, const ServerConfig& config);

// nullptr unless the server is configured with auth = { type = "oauth" }.
std::shared_ptr<Authorizer> authorizer_for(sdk::Host host, const ServerConfig& config,
                                           std::function<void(int level, const std::string&)> log);

}  // namespace cowork::mcp::oauth
