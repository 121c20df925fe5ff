// browser_session.hpp — one browser (launched or attached) and its tabs.
//
// Tool calls are serialized by the plugin, so everything here runs on one
// calling thread at a time, except on_event(), which runs on the CDP I/O
// thread and shares the tab state under state_mutex_.
#pragma once

#include "browser_config.hpp"
#include "cdp_connection.hpp"
#include "chromium_launcher.hpp"
#include "request_guard.hpp"
#include "tab.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cowork::browser {

using std::chrono::milliseconds;

enum class WaitUntil { load, domcontentloaded, networkidle };
WaitUntil parse_wait_until(const std::string& s);  // throws sdk::invalid

class BrowserSession {
public:
    using Logger = std::function<void(const std::string&)>;
    BrowserSession(BrowserConfig config, Logger log);
    ~BrowserSession();
    BrowserSession(const BrowserSession&) = delete;
    BrowserSession& operator=(const BrowserSession&) = delete;

    // Launches or attaches if needed. Returns a note for the model when an
    // earlier browser had died and was replaced, else "".
    std::string ensure_started();
    // Kills a launched browser (reaped, profile deleted) or detaches from an
    // attached one, closing only the tabs we created. Idempotent.
    void close();
    bool started() const { return static_cast<bool>(cdp_); }

    Tab& current();
    Json call(Tab& tab, const std::string& method, const Json& params = Json::object(),
              milliseconds timeout = std::chrono::seconds(30));

    void navigate(Tab& tab, const std::string& url, WaitUntil until, milliseconds timeout);
    void reload(Tab& tab, WaitUntil until, milliseconds timeout);
    // delta -1 = back, +1 = forward.
    void history(Tab& tab, int delta, milliseconds timeout);

    Tab& new_tab(const std::string& url, WaitUntil until, milliseconds timeout);
    void switch_tab(const std::string& id);
    void close_tab(const std::string& id);
    Json list_tabs();

    // Copies of a tab's ring buffers; `clear` empties them afterwards.
    Json logs(Tab& tab, bool network, size_t limit, bool clear);
    // {"mode","pid","profileDir","wsUrl"} for status and tests.
    Json describe() const;
    const UrlPolicy& policy() const { return policy_; }

private:
    void start();
    std::string attach_ws_url() const;
    std::shared_ptr<Tab> attach(const std::string& target_id, bool ours);
    void adopt_popups();
    void on_event(const std::string& method, const Json& params, const std::string& session);
    void on_blocked(const std::string& session, const Json& entry);
    std::shared_ptr<Tab> tab_by_session(const std::string& session);  // state_mutex_ held
    void wait_until(Tab& tab, const std::function<bool(const Tab&)>& ready, milliseconds timeout, const std::string& what);
    std::string url_of(Tab& tab);

    BrowserConfig config_;
    Logger log_;
    UrlPolicy policy_;
    std::unique_ptr<ChromiumProcess> process_;
    std::unique_ptr<RequestGuard> guard_;
    std::unique_ptr<CdpConnection> cdp_;

    mutable std::mutex state_mutex_;
    std::condition_variable state_cv_;
    std::vector<std::shared_ptr<Tab>> tabs_;
    std::map<std::string, std::string> child_sessions_;  // worker/iframe session -> its tab's session
    std::vector<std::string> pending_popups_;           // target ids opened by pages
    std::string current_;                                // short id
    int next_tab_ = 1;
};

}  // namespace cowork::browser
