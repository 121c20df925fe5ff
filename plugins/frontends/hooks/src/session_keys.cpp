#include "session_keys.hpp"

#include <chrono>

namespace cowork::hooks {

void SessionKeys::migrate() {
    host_.migrate(sdk::Json::array({{{"version", 1},
                                     {"sql", "CREATE TABLE IF NOT EXISTS " + table() +
                                                 " (session_key TEXT PRIMARY KEY, task_id TEXT NOT NULL,"
                                                 " created_at INTEGER NOT NULL)"}}}));
}

std::optional<std::string> SessionKeys::find(const std::string& key) const {
    const auto rows = host_.exec("SELECT task_id FROM " + table() + " WHERE session_key = ?", sdk::Json::array({key}))
                          .value("rows", sdk::Json::array());
    if (rows.empty()) return std::nullopt;
    return rows[0].value("task_id", "");
}

SessionKeys::Outcome SessionKeys::once(const std::string& key, const std::function<std::string()>& create) {
    std::lock_guard lock(stripe(key));
    if (auto existing = find(key)) return {*existing, true};
    const std::string task_id = create();
    const long long now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    host_.exec("INSERT INTO " + table() + " (session_key, task_id, created_at) VALUES (?, ?, ?)",
               sdk::Json::array({key, task_id, now_ms}));
    return {task_id, false};
}

}  // namespace cowork::hooks
