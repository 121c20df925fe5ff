#include "session_table.hpp"

#include "random_hex.hpp"

#include <vector>

namespace cowork::mcp {

std::shared_ptr<Session> SessionTable::create(const Identity& identity, std::chrono::steady_clock::duration idle_limit) {
    std::lock_guard lock(mutex_);
    if (sessions_.size() >= max_) drop_idle(idle_limit);
    if (sessions_.size() >= max_) return nullptr;
    auto s = std::make_shared<Session>(random_hex(32), identity);
    sessions_[s->id()] = s;
    return s;
}

void SessionTable::add(std::shared_ptr<Session> session) {
    std::lock_guard lock(mutex_);
    sessions_[session->id()] = std::move(session);
}

std::shared_ptr<Session> SessionTable::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = sessions_.find(id);
    return it == sessions_.end() ? nullptr : it->second;
}

bool SessionTable::erase(const std::string& id) {
    std::shared_ptr<Session> gone;
    {
        std::lock_guard lock(mutex_);
        const auto it = sessions_.find(id);
        if (it == sessions_.end()) return false;
        gone = std::move(it->second);
        sessions_.erase(it);
    }
    gone->end();  // outside the lock: the stream's owner may call back in
    return true;
}

size_t SessionTable::size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void SessionTable::each(const std::function<void(Session&)>& fn) const {
    std::vector<std::shared_ptr<Session>> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [id, s] : sessions_) all.push_back(s);
    }
    for (const auto& s : all) fn(*s);
}

void SessionTable::drop_idle(std::chrono::steady_clock::duration idle_limit) {
    for (auto it = sessions_.begin(); it != sessions_.end();)
        it = it->second->idle() > idle_limit && !it->second->has_stream() ? sessions_.erase(it) : std::next(it);
}

}  // namespace cowork::mcp
