// secret_cache.hpp — the stored secrets the plugin checks requests against
// (the hooks token, per-mapping tokens, HMAC keys), read through the
// kernel's secrets service and kept for a short while: a rotated secret
// takes effect within `ttl`, and a request flood does not turn into one
// decrypt + audit record per request.
#pragma once

#include <cowork/sdk/host.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace cowork::hooks {

class SecretCache {
public:
    using Clock = std::chrono::steady_clock;
    SecretCache(sdk::Host host, std::chrono::seconds ttl) : host_(host), ttl_(ttl) {}

    struct Lookup {
        std::optional<std::string> value;  // nullopt: not stored, or the kernel refused
        std::string problem;               // why not (never contains a value)
    };
    // [any-thread]
    Lookup get(const std::string& name);

private:
    struct Entry {
        Lookup lookup;
        Clock::time_point fetched;
    };
    sdk::Host host_;
    std::chrono::seconds ttl_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;
};

}  // namespace cowork::hooks
