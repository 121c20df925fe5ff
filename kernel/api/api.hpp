// kernel/api/api.hpp — the kernel's one method surface.
//
// Every frontend (CLI, control plane, webhooks, MCP host, UI) and every
// plugin reaches the kernel through Api::call with a Caller; there are no
// private back doors. Methods declare the scope they need; the check happens
// here, once, for everyone.
#pragma once

#include "api/caller.hpp"
#include "core/result.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>

namespace cowork::kernel::api {

// Error codes shared by every transport (docs/control-plane.md).
inline constexpr const char* kUnauthorized = "UNAUTHORIZED";
inline constexpr const char* kUnknownMethod = "UNKNOWN_METHOD";
inline constexpr const char* kInvalidParams = "INVALID_PARAMS";
inline constexpr const char* kMethodFailed = "METHOD_FAILED";
inline constexpr const char* kInternalError = "INTERNAL_ERROR";

using Handler = std::function<Result<Json>(const Caller&, const Json& params)>;

// Events of one call, delivered to its caller while the call runs (a tool's
// progress, a question a running tool puts to its caller). Empty: the caller
// does not listen, and the method falls back to what fits in its result.
using EventSink = std::function<void(const Json& event)>;
using StreamingHandler = std::function<Result<Json>(const Caller&, const Json& params, const EventSink& events)>;

struct MethodSpec {
    std::string name;         // "task.create"
    std::string scope;        // scope required (kScopeRead, …)
    bool side_effect = false; // takes an idempotency key on the wire
    std::string summary;      // one line for `describe` and docs
};

class Api {
public:
    // Register a method; a second registration of the same name is an error.
    Status add(MethodSpec spec, Handler handler);
    // A method that can stream events to callers that listen.
    Status add_streaming(MethodSpec spec, StreamingHandler handler);
    void remove(const std::string& name);

    // Check the caller's scope, run the handler, turn exceptions into
    // INTERNAL_ERROR. Never throws.
    Result<Json> call(const Caller& caller, std::string_view method, const Json& params,
                      const EventSink& events = {}) const;

    // [{name, scope, sideEffect, summary}] sorted by name.
    Json describe() const;
    bool has(std::string_view method) const;

private:
    struct Entry {
        MethodSpec spec;
        StreamingHandler handler;
    };
    mutable std::shared_mutex mutex_;
    std::map<std::string, Entry, std::less<>> methods_;
};

}  // namespace cowork::kernel::api
