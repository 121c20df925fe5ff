// router.hpp — what one request does: the handshake, the plugin's own
// methods (ping, devices.*) and forwarding to the kernel API as the
// authenticated caller. Runs on a worker thread, never on the I/O threads,
// because kernel calls may block.
#pragma once

#include "devices.hpp"
#include "frames.hpp"
#include "idempotency.hpp"
#include "nonce_book.hpp"
#include "rate_limiter.hpp"

#include <cowork/sdk/host.hpp>

#include <functional>
#include <set>
#include <string>

namespace cowork::cp {

// Per-connection state, touched only by that connection's worker strand.
struct SessionAuth {
    std::string remote;      // peer IP address
    std::string nonce;       // the challenge sent on this connection
    long long nonce_ts = 0;  // its ts (ms since the epoch)
    bool authenticated = false;
    std::string device_id;
    std::string role;
    std::vector<std::string> scopes;
    bool has_scope(const std::string& s) const;
};

struct Outcome {
    Json frame;              // the res frame to send
    int close_code = 0;      // non-zero: close after sending
    std::string close_reason;
    bool authenticated_now = false;
};

struct RouterDeps {
    sdk::Host host;
    DeviceStore& devices;
    NonceBook& nonces;
    RateLimiter& limiter;
    IdempotencyCache& idempotency;
    std::string operator_token;
    Json limits;                       // echoed in hello
    std::string server_version;
    std::set<std::string> side_effects;  // methods that accept idempotency keys
    std::function<void(const std::string& device_id)> on_revoked;
};

class Router {
public:
    explicit Router(RouterDeps deps) : d_(std::move(deps)) {}
    Outcome handle(SessionAuth& auth, const Request& req);

private:
    Outcome connect(SessionAuth& auth, const Request& req);
    Outcome auth_failure(SessionAuth& auth, const Request& req, const std::string& why);
    Json pair(SessionAuth& auth, const Request& req, Outcome& out);
    Outcome dispatch(SessionAuth& auth, const Request& req);
    Json forward(const SessionAuth& auth, const Request& req);  // {ok, payload|error}
    RouterDeps d_;
};

}  // namespace cowork::cp
