// session_keys.hpp — sessionKey → taskId, so a webhook delivered twice (a
// sender's retry, ten concurrent deliveries) starts one task. Kept in the
// plugin's own table (p_frontend_hooks_session_keys) so it survives restarts.
#pragma once

#include <cowork/sdk/host.hpp>

#include <array>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace cowork::hooks {

class SessionKeys {
public:
    explicit SessionKeys(sdk::Host host) : host_(host) {}

    void migrate();  // [main] at start

    struct Outcome {
        std::string task_id;
        bool deduplicated = false;
    };
    // [any-thread] The first call for a key runs `create` (which returns the
    // new task id, or throws and remembers nothing); later calls, concurrent
    // or after a restart, return that task id. Requests for one key are
    // serialized; different keys mostly run in parallel (striped locks).
    // A crash between `create` and the insert can leave one extra task for
    // that key: the insert is the commit point.
    Outcome once(const std::string& key, const std::function<std::string()>& create);

    std::optional<std::string> find(const std::string& key) const;

private:
    std::string table() const { return host_.table_prefix() + "session_keys"; }
    std::mutex& stripe(const std::string& key) { return stripes_[std::hash<std::string>{}(key) % stripes_.size()]; }

    sdk::Host host_;
    std::array<std::mutex, 32> stripes_;
};

}  // namespace cowork::hooks
