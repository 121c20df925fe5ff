// endpoints.hpp — what each hook path does. Two steps per request so a
// request that will be refused is refused before its body is read:
//   admit(head)  → 404 / 405 / 429 / 415 / 413 / 401, or go ahead;
//   handle(req)  → parse the JSON, check HMAC signatures, call the kernel.
// Both run on the server's worker threads, never on its I/O threads.
#pragma once

#include "hooks_config.hpp"
#include "http_types.hpp"
#include "kernel_call.hpp"
#include "rate_limiter.hpp"  // frontend.control-plane's per-address failure ban, reused
#include "secret_cache.hpp"
#include "session_keys.hpp"

#include <cowork/sdk/host.hpp>

#include <optional>
#include <string>

namespace cowork::hooks {

struct EndpointDeps {
    sdk::Host host;
    const HooksConfig& config;
    cp::RateLimiter& limiter;
    SecretCache& secrets;
    SessionKeys& sessions;
};

// What /hooks/agent (and an "agent" mapping) starts.
struct AgentRequest {
    std::string message;
    std::string name;
    std::string session_key;
    std::string workspace;
    std::string provider;
    std::string model;
    std::optional<long long> timeout_s;
};

class Endpoints {
public:
    explicit Endpoints(EndpointDeps deps) : d_(deps) {}

    // [worker] nullopt: read the body and call handle().
    std::optional<Response> admit(const Head& head);
    // [worker]
    Response handle(const Request& req);

private:
    enum class Kind { health, agent, task_message, approval, wake, cron_trigger, mapping };
    struct Route {
        Kind kind;
        const Mapping* mapping = nullptr;
    };
    std::optional<Route> route(const std::string& path) const;
    std::optional<Response> check_token(const Head& head, const std::string& secret_name);
    Response unauthorized(const Head& head, const std::string& why);

    Response dispatch(const Route& r, const Json& body, const Request& req);
    Response mapped(const Mapping& m, const Json& body, const Request& req);
    Response start_agent(const AgentRequest& a, const Head& head);
    Response send_message(const std::string& task_id, const std::string& message, const Head& head);
    Response approval(const Json& body, const Head& head);
    Response wake(const std::string& text, const std::string& mode, const Head& head);
    Response cron_trigger(const Json& body, const Head& head);

    EndpointDeps d_;
};

}  // namespace cowork::hooks
