#include "router.hpp"

#include "crypto.hpp"
#include "protocol.hpp"

#include <cowork/sdk/sink.hpp>

#include <algorithm>
#include <chrono>

namespace cowork::cp {
namespace {

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Json failure(const std::string& code, const std::string& message, Json details = nullptr) {
    Json e{{"code", code}, {"message", message}};
    if (!details.is_null()) e["details"] = std::move(details);
    return {{"ok", false}, {"error", std::move(e)}};
}

Json success(Json payload) { return {{"ok", true}, {"payload", std::move(payload)}}; }

Json to_frame(const Json& id, const Json& outcome) {
    if (outcome.value("ok", false)) return ok_frame(id, outcome.value("payload", Json::object()));
    const Json& e = outcome["error"];
    return error_frame(id, e.value("code", kInternalError), e.value("message", ""), e.value("details", Json()));
}

// Kernel error codes pass through; ABI-level codes map onto the wire set.
std::string wire_code(const std::string& code) {
    static const std::set<std::string> wire{kUnauthorized, kUnknownMethod, kInvalidParams, kMethodFailed,
                                            kInternalError};
    if (wire.count(code)) return code;
    if (code.find("denied") != std::string::npos) return kUnauthorized;
    if (code.find("invalid") != std::string::npos) return kInvalidParams;
    if (code == "internal") return kInternalError;
    return kMethodFailed;
}

std::optional<std::vector<std::string>> string_list(const Json& j) {
    if (!j.is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& s : j) {
        if (!s.is_string()) return std::nullopt;
        out.push_back(s);
    }
    return out;
}

Json missing_scope(const std::string& method, const std::string& scope, const SessionAuth& a) {
    return failure(kUnauthorized, "method " + method + " needs scope '" + scope + "'",
                   {{"missingScope", scope}, {"role", a.role}});
}

}  // namespace

bool SessionAuth::has_scope(const std::string& s) const {
    return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
}

Outcome Router::handle(SessionAuth& auth, const Request& req) {
    try {
        if (req.method == "ping")
            return {ok_frame(req.id, {{"pong", true}, {"ts", now_ms()}, {"echo", req.params.value("echo", Json())}})};
        if (req.method == "connect") return connect(auth, req);
        if (!auth.authenticated && req.method != "devices.pair")
            return {error_frame(req.id, kUnauthorized, "send connect first (see docs/control-plane.md)")};
        return dispatch(auth, req);
    } catch (const sdk::Error& e) {
        return {error_frame(req.id, wire_code(e.code()), e.what())};
    } catch (const std::exception& e) {
        return {error_frame(req.id, kInternalError, std::string("internal error: ") + e.what())};
    }
}

Outcome Router::auth_failure(SessionAuth& auth, const Request& req, const std::string& why) {
    d_.limiter.record_failure(auth.remote);
    return {error_frame(req.id, kUnauthorized, why), kCloseAuthFailed, "authentication failed"};
}

Outcome Router::connect(SessionAuth& auth, const Request& req) {
    if (auth.authenticated) return {error_frame(req.id, kInvalidParams, "already connected")};
    const Json& p = req.params;
    const std::string device_id = p.value("deviceId", "");
    const std::string nonce = p.value("nonce", "");
    const std::string role = p.value("role", "");
    const auto scopes = string_list(p.value("scopes", Json()));
    if (device_id.empty() || nonce.empty() || role.empty() || !scopes || !p.contains("ts") ||
        !p["ts"].is_number_integer() || !p.value("signature", Json()).is_string())
        return auth_failure(auth, req, "connect needs {deviceId, nonce, ts, role, scopes, signature}");
    // Consume first: whatever happens next, this nonce never verifies again.
    const auto use = d_.nonces.consume(nonce);
    if (nonce != auth.nonce) return auth_failure(auth, req, "nonce was not issued to this connection");
    if (use != NonceBook::Use::ok)
        return auth_failure(auth, req, use == NonceBook::Use::expired ? "nonce expired" : "nonce already used");
    const long long ts = p["ts"];
    if (ts != auth.nonce_ts) return auth_failure(auth, req, "ts does not match the challenge");
    const auto device = d_.devices.find(device_id);
    if (!device || device->revoked) return auth_failure(auth, req, "unknown or revoked device");
    const std::string message = signed_string(nonce, ts, role, *scopes);
    if (!verify_ed25519(device->public_key, p["signature"].get<std::string>(), message))
        return auth_failure(auth, req, "bad signature");
    if (role != device->role) return auth_failure(auth, req, "role exceeds what the device was paired with");
    for (const auto& s : *scopes)
        if (std::find(device->scopes.begin(), device->scopes.end(), s) == device->scopes.end())
            return auth_failure(auth, req, "scope '" + s + "' exceeds what the device was paired with");
    d_.limiter.record_success(auth.remote);
    auth.authenticated = true;
    auth.device_id = device->id;
    auth.role = role;
    auth.scopes = *scopes;
    Json hello{{"type", "hello"},
               {"protocol", kProtocolVersion},
               {"clientId", "device:" + device->id},
               {"deviceId", device->id},
               {"name", device->name},
               {"role", role},
               {"scopes", *scopes},
               {"server", {{"name", "cowork"}, {"version", d_.server_version}}},
               {"limits", d_.limits}};
    Outcome out{ok_frame(req.id, std::move(hello))};
    out.authenticated_now = true;
    return out;
}

Json Router::pair(SessionAuth& auth, const Request& req, Outcome& out) {
    const Json& p = req.params;
    const std::string role = p.value("role", "operator");
    if (!scopes_for_role(role)) return failure(kInvalidParams, "role must be admin, operator or read");
    const std::string name = p.value("name", "");
    if (name.empty() || name.size() > 100) return failure(kInvalidParams, "name (1-100 characters) is required");
    if (!auth.authenticated) {
        // The operator token pairs a first device, and only from this machine:
        // a token sniffed off a LAN cannot be replayed from elsewhere.
        if (!is_loopback(auth.remote)) {
            out.close_code = kCloseAuthFailed;
            d_.limiter.record_failure(auth.remote);
            return failure(kUnauthorized, "pairing with the operator token is only allowed over loopback; "
                                          "ask an admin device to call devices.pair");
        }
        if (!equal_secret(p.value("token", ""), d_.operator_token)) {
            out.close_code = kCloseAuthFailed;
            d_.limiter.record_failure(auth.remote);
            return failure(kUnauthorized, "bad operator token");
        }
    } else if (!auth.has_scope("admin")) {
        return missing_scope(req.method, "admin", auth);
    }
    return success(d_.devices.pair(name, p.value("publicKey", ""), role).to_json());
}

Outcome Router::dispatch(SessionAuth& auth, const Request& req) {
    const bool dedupe = !req.idempotency_key.empty() &&
                        (d_.side_effects.count(req.method) || req.method.rfind("devices.", 0) == 0);
    const std::string who = auth.authenticated ? auth.device_id : "pair:" + auth.remote;
    if (dedupe)
        if (auto seen = d_.idempotency.find(who, req.method + "\n" + req.idempotency_key)) {
            Json f = to_frame(req.id, *seen);
            f["deduplicated"] = true;
            return {f};
        }
    Outcome out;
    Json result;
    if (req.method == "devices.pair") {
        result = pair(auth, req, out);
    } else if (req.method == "devices.list") {
        if (!auth.has_scope("admin")) result = missing_scope(req.method, "admin", auth);
        else {
            Json list = Json::array();
            for (const auto& d : d_.devices.list()) list.push_back(d.to_json());
            result = success({{"devices", list}});
        }
    } else if (req.method == "devices.revoke") {
        const std::string id = req.params.value("deviceId", "");
        if (!auth.has_scope("admin")) result = missing_scope(req.method, "admin", auth);
        else if (id.empty()) result = failure(kInvalidParams, "deviceId is required");
        else {
            const bool revoked = d_.devices.revoke(id);
            if (revoked && d_.on_revoked) d_.on_revoked(id);
            result = success({{"deviceId", id}, {"revoked", revoked}});
        }
    } else {
        result = forward(auth, req);
    }
    if (dedupe && out.close_code == 0) d_.idempotency.store(who, req.method + "\n" + req.idempotency_key, result);
    out.frame = to_frame(req.id, result);
    if (out.close_code) out.close_reason = "authentication failed";
    return out;
}

Json Router::forward(const SessionAuth& auth, const Request& req) {
    auto& api = d_.host.require<cowork_api_v1>(COWORK_SERVICE_API);
    const Json caller{{"id", "device:" + auth.device_id},
                      {"role", auth.role},
                      {"scopes", auth.scopes},
                      {"transport", "control-plane"}};
    const std::string in = dump(Json{{"method", req.method}, {"params", req.params}, {"caller", caller}});
    sdk::Collector c;
    const cowork_status st = api.call(api.ctx, in.data(), in.size(), c.sink());
    const Json body = c.json();
    if (st == COWORK_OK) return success(body);
    if (!body.is_object()) return failure(kInternalError, "the kernel returned no error object");
    return failure(wire_code(body.value("code", "")), body.value("message", ""), body.value("details", Json()));
}

}  // namespace cowork::cp
