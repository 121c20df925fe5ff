#include "oauth/link_authorizer.hpp"

namespace cowork::mcp::oauth {

AuthorizerOptions options_for(sdk::Host host, const ServerConfig& config) {
    AuthorizerOptions o;
    o.server_name = config.name;
    o.server_url = config.url;
    o.settings = config.auth.oauth;
    o.store = std::make_shared<SecretsTokenStore>(host, config.name);
    o.http_timeout = config.connect_timeout;
    return o;
}

std::shared_ptr<Authorizer> authorizer_for(sdk::Host host, const ServerConfig& config,
                                           std::function<void(int level, const std::string&)> log) {
    if (!config.auth.oauth.enabled || config.transport == TransportKind::stdio) return nullptr;
    AuthorizerOptions o = options_for(host, config);
    o.log = std::move(log);
    return std::make_shared<Authorizer>(host, std::move(o));
}

}  // namespace cowork::mcp::oauth
