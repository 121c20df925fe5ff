// session_table.hpp — every live MCP session (HTTP ones by Mcp-Session-Id,
// plus the stdio one), so server-initiated notifications reach them all.
#pragma once

#include "session.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace cowork::mcp {

class SessionTable {
public:
    explicit SessionTable(size_t max_sessions) : max_(max_sessions) {}

    // A new session with an unguessable id (32 random bytes, hex), or nullptr
    // when the table is full even after dropping idle sessions.
    std::shared_ptr<Session> create(const Identity& identity, std::chrono::steady_clock::duration idle_limit);
    void add(std::shared_ptr<Session> session);  // the stdio session
    std::shared_ptr<Session> find(const std::string& id) const;
    bool erase(const std::string& id);
    size_t size() const;

    // [any-thread] Calls fn for each session (outside the table's lock).
    void each(const std::function<void(Session&)>& fn) const;

private:
    void drop_idle(std::chrono::steady_clock::duration idle_limit);  // lock held

    size_t max_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Session>> sessions_;
};

}  // namespace cowork::mcp
