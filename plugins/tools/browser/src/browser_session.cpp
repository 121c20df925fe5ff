#include "browser_session.hpp"

#include <cowork/sdk/error.hpp>
#include <cowork_tools/tool_failure.hpp>

#include <algorithm>

namespace cowork::browser {
using tools::ToolFailure;

namespace {

const char* lifecycle_name(WaitUntil w) {
    switch (w) {
    case WaitUntil::load: return "load";
    case WaitUntil::domcontentloaded: return "DOMContentLoaded";
    case WaitUntil::networkidle: return "networkIdle";
    }
    return "load";
}

// Every request of the tab pauses until the guard answers (Request stage).
const Json kFetchPatterns = {{"patterns", Json::array({{{"urlPattern", "*"}, {"requestStage", "Request"}}})}};

bool local_host(const std::string& host) { return host == "127.0.0.1" || host == "localhost" || host == "::1"; }

}  // namespace

WaitUntil parse_wait_until(const std::string& s) {
    if (s == "load") return WaitUntil::load;
    if (s == "domcontentloaded") return WaitUntil::domcontentloaded;
    if (s == "networkidle") return WaitUntil::networkidle;
    throw sdk::invalid("waitUntil must be load, domcontentloaded or networkidle, not '" + s + "'");
}

BrowserSession::BrowserSession(BrowserConfig config, Logger log)
    : config_(std::move(config)), log_(std::move(log)),
      policy_(UrlPolicyOptions{config_.allow_private, config_.allowed_hosts}) {}

BrowserSession::~BrowserSession() {
    try {
        close();
    } catch (...) {
    }
}

std::string BrowserSession::ensure_started() {
    std::string note;
    if (cdp_ && (!cdp_->is_open() || (process_ && !process_->running()))) {
        note = "The previous browser " +
               (process_ && !process_->running() ? process_->exit_description() : std::string("connection was lost")) +
               "; started a new one (earlier tabs, refs and logs are gone).";
        close();
    }
    if (!cdp_) start();
    adopt_popups();
    return note;
}

std::string BrowserSession::attach_ws_url() const {
    const auto parsed = parse_url(config_.attach_url);
    if (!parsed || (parsed->scheme != "ws" && parsed->scheme != "http"))
        throw ToolFailure("attach_url must be ws://127.0.0.1:PORT/devtools/browser/… or http://127.0.0.1:PORT");
    // A remote debugger URL gives full control of someone's browser.
    if (!local_host(parsed->host) && !config_.allow_remote_attach)
        throw ToolFailure("attach_url host '" + parsed->host + "' is not local; set allow_remote_attach = true to allow it");
    if (parsed->scheme == "ws") return config_.attach_url;
    return discover_ws_url(parsed->host.find(':') != std::string::npos ? "[" + parsed->host + "]" : parsed->host,
                           std::to_string(parsed->port ? parsed->port : 80), config_.launch_timeout);
}

void BrowserSession::start() {
    std::string ws;
    if (config_.attach_url.empty()) {
        process_ = ChromiumProcess::launch({config_.chromium_path, config_.launch_timeout, config_.viewport_width,
                                            config_.viewport_height});
        ws = process_->ws_url();
        if (log_) log_("tool.browser: launched Chromium pid " + std::to_string(process_->pid()) + " at " + ws);
    } else {
        ws = attach_ws_url();
    }
    guard_ = std::make_unique<RequestGuard>(
        policy_, [this](const std::string& m, const Json& p, const std::string& s) { if (cdp_) cdp_->send(m, p, s); },
        [this](const std::string& s, const Json& e) { on_blocked(s, e); });
    try {
        cdp_ = CdpConnection::connect(
            ws, [this](const std::string& m, const Json& p, const std::string& s) { on_event(m, p, s); },
            config_.launch_timeout);
        cdp_->call("Target.setDiscoverTargets", {{"discover", true}});
        std::string first;
        if (process_) {
            // Adopt the about:blank page Chromium opened at start-up.
            for (const auto& t : cdp_->call("Target.getTargets").value("targetInfos", Json::array()))
                if (t.value("type", "") == "page") {
                    first = t.value("targetId", "");
                    break;
                }
        }
        if (first.empty()) first = cdp_->call("Target.createTarget", {{"url", "about:blank"}}).value("targetId", "");
        current_ = attach(first, true)->short_id;
    } catch (...) {
        close();
        throw;
    }
}

std::shared_ptr<Tab> BrowserSession::attach(const std::string& target_id, bool ours) {
    const std::string session =
        cdp_->call("Target.attachToTarget", {{"targetId", target_id}, {"flatten", true}}).value("sessionId", "");
    auto tab = std::make_shared<Tab>("t" + std::to_string(next_tab_++), target_id, session, ours, config_.log_entries);
    {
        std::lock_guard lock(state_mutex_);
        tabs_.push_back(tab);
    }
    // Fetch first: nothing this tab loads from now on escapes the guard.
    call(*tab, "Fetch.enable", kFetchPatterns);
    call(*tab, "Page.enable");
    call(*tab, "Page.setLifecycleEventsEnabled", {{"enabled", true}});
    call(*tab, "Runtime.enable");
    call(*tab, "Network.enable");
    call(*tab, "Log.enable");
    // Workers and out-of-process iframes start paused so their own Fetch
    // interception is on before their first request (see on_event).
    call(*tab, "Target.setAutoAttach", {{"autoAttach", true}, {"waitForDebuggerOnStart", true}, {"flatten", true}});
    call(*tab, "Runtime.runIfWaitingForDebugger");
    const Json frames = call(*tab, "Page.getFrameTree");
    std::lock_guard lock(state_mutex_);
    tab->url = frames["frameTree"]["frame"].value("url", "");
    return tab;
}

void BrowserSession::adopt_popups() {
    std::vector<std::string> popups;
    {
        std::lock_guard lock(state_mutex_);
        popups.swap(pending_popups_);
    }
    for (const auto& id : popups) {
        try {
            attach(id, true);
        } catch (const ToolFailure&) {
            // Closed before we got to it.
        }
    }
}

void BrowserSession::close() {
    std::vector<std::shared_ptr<Tab>> tabs;
    {
        std::lock_guard lock(state_mutex_);
        tabs = tabs_;
    }
    if (cdp_ && !process_) {
        for (const auto& t : tabs)  // attached browser: leave the user's own tabs alone
            if (t->created_by_us) try {
                    cdp_->call("Target.closeTarget", {{"targetId", t->target_id}}, "", std::chrono::seconds(5));
                } catch (const ToolFailure&) {
                }
    }
    if (cdp_) cdp_->close();
    guard_.reset();  // after the connection: its sender uses cdp_
    cdp_.reset();
    if (process_) process_->terminate();
    process_.reset();
    std::lock_guard lock(state_mutex_);
    tabs_.clear();
    child_sessions_.clear();
    pending_popups_.clear();
    current_.clear();
}

Tab& BrowserSession::current() {
    std::lock_guard lock(state_mutex_);
    for (auto& t : tabs_)
        if (t->short_id == current_) return *t;
    if (!tabs_.empty()) {
        current_ = tabs_.front()->short_id;
        return *tabs_.front();
    }
    throw ToolFailure("no open tab; use tabs with action 'new' or navigate");
}

Json BrowserSession::call(Tab& tab, const std::string& method, const Json& params, milliseconds timeout) {
    if (!cdp_) throw ToolFailure("the browser is not running");
    return cdp_->call(method, params, tab.session_id, timeout);
}

std::shared_ptr<Tab> BrowserSession::tab_by_session(const std::string& session) {
    std::string s = session;
    if (auto it = child_sessions_.find(s); it != child_sessions_.end()) s = it->second;
    for (auto& t : tabs_)
        if (t->session_id == s) return t;
    return nullptr;
}

void BrowserSession::on_event(const std::string& method, const Json& params, const std::string& session) {
    if (method == "Fetch.requestPaused") {
        if (guard_) guard_->paused(session, params);
        return;
    }
    std::lock_guard lock(state_mutex_);
    if (method == "Target.attachedToTarget") {
        // A worker or iframe of one of our tabs, paused: turn interception
        // on, then let it run (the two are processed in order).
        // Our own Target.attachToTarget also reports here, on the browser
        // session (""): only children of a tab session are handled.
        if (session.empty()) return;
        const std::string child = params.value("sessionId", "");
        child_sessions_[child] = session;
        cdp_->send("Fetch.enable", kFetchPatterns, child);
        cdp_->send("Runtime.runIfWaitingForDebugger", Json::object(), child);
        return;
    }
    if (method == "Target.targetCreated") {
        const Json& info = params.value("targetInfo", Json::object());
        if (info.value("type", "") == "page" && !info.value("openerId", "").empty())
            pending_popups_.push_back(info.value("targetId", ""));
        return;
    }
    if (method == "Target.detachedFromTarget") {
        const std::string gone = params.value("sessionId", "");
        child_sessions_.erase(gone);
        std::erase_if(tabs_, [&](const auto& t) { return t->session_id == gone; });
        state_cv_.notify_all();
        return;
    }
    if (auto tab = tab_by_session(session); tab && apply_event(*tab, method, params)) state_cv_.notify_all();
}

void BrowserSession::on_blocked(const std::string& session, const Json& entry) {
    std::lock_guard lock(state_mutex_);
    auto tab = tab_by_session(session);
    if (!tab) return;
    if (Json* e = tab->network.find_last("requestId", entry.value("requestId", ""))) {
        (*e)["blocked"] = entry["reason"];
    } else {
        Json copy = entry;
        copy["blocked"] = entry["reason"];
        copy.erase("reason");
        tab->network.push(std::move(copy));
    }
    if (log_) log_("tool.browser: blocked " + entry.value("url", "") + ": " + entry.value("reason", ""));
}

void BrowserSession::wait_until(Tab& tab, const std::function<bool(const Tab&)>& ready, milliseconds timeout,
                                const std::string& what) {
    std::unique_lock lock(state_mutex_);
    const bool ok = state_cv_.wait_for(lock, timeout, [&] { return ready(tab) || !cdp_->is_open(); });
    if (!cdp_->is_open()) throw ToolFailure("the browser connection was lost while waiting for " + what);
    if (!ok) throw ToolFailure(what + " did not happen within " + std::to_string(timeout.count()) + " ms");
}

void BrowserSession::navigate(Tab& tab, const std::string& url, WaitUntil until, milliseconds timeout) {
    if (auto refusal = policy_.check_navigation(url)) throw ToolFailure("navigation refused: " + *refusal);
    const Json res = call(tab, "Page.navigate", {{"url", url}}, timeout);
    if (const std::string error = res.value("errorText", ""); !error.empty()) {
        std::string why;
        {
            std::lock_guard lock(state_mutex_);
            const Json last = tab.network.tail(0);
            for (auto it = last.rbegin(); it != last.rend(); ++it)
                if (it->contains("blocked")) {
                    why = " — blocked by the URL policy: " + (*it)["url"].get<std::string>() + ": " + (*it)["blocked"].get<std::string>();
                    break;
                }
        }
        throw ToolFailure("navigation to " + url + " failed: " + error + why);
    }
    const std::string loader = res.value("loaderId", "");
    if (loader.empty()) return;  // same-document (fragment) navigation
    const std::string event = lifecycle_name(until);
    wait_until(tab, [&](const Tab& t) { return t.loader_id == loader && t.lifecycle.count(event); }, timeout,
               "'" + event + "' of " + url);
}

void BrowserSession::reload(Tab& tab, WaitUntil until, milliseconds timeout) {
    std::string before;
    {
        std::lock_guard lock(state_mutex_);
        before = tab.loader_id;
    }
    call(tab, "Page.reload");
    const std::string event = lifecycle_name(until);
    wait_until(tab, [&](const Tab& t) { return t.loader_id != before && t.lifecycle.count(event); }, timeout,
               "'" + event + "' after reload");
}

std::string BrowserSession::url_of(Tab& tab) {
    return call(tab, "Runtime.evaluate", {{"expression", "location.href"}, {"returnByValue", true}})["result"].value("value", "");
}

void BrowserSession::history(Tab& tab, int delta, milliseconds timeout) {
    const Json h = call(tab, "Page.getNavigationHistory");
    const int index = h.value("currentIndex", 0) + delta;
    const Json& entries = h["entries"];
    if (index < 0 || index >= static_cast<int>(entries.size()))
        throw ToolFailure(delta < 0 ? "there is no previous page in this tab's history" : "there is no next page in this tab's history");
    const Json& entry = entries[index];
    const std::string url = entry.value("url", "");
    if (auto refusal = policy_.check_navigation(url)) throw ToolFailure("navigation refused: " + *refusal);
    std::string before;
    {
        std::lock_guard lock(state_mutex_);
        before = tab.loader_id;
    }
    call(tab, "Page.navigateToHistoryEntry", {{"entryId", entry.value("id", 0)}});
    try {
        wait_until(tab, [&](const Tab& t) { return t.loader_id != before && t.lifecycle.count("load"); }, timeout,
                   "'load' of " + url);
    } catch (const ToolFailure&) {
        // A same-document entry (pushState, #fragment) loads nothing.
        if (url_of(tab) != url) throw;
    }
}

Tab& BrowserSession::new_tab(const std::string& url, WaitUntil until, milliseconds timeout) {
    if (!url.empty() && url != "about:blank")
        if (auto refusal = policy_.check_navigation(url)) throw ToolFailure("navigation refused: " + *refusal);
    // Open blank, attach (interception on), then navigate: no request of
    // the new tab can run before the guard sees it.
    const std::string id = cdp_->call("Target.createTarget", {{"url", "about:blank"}}).value("targetId", "");
    auto tab = attach(id, true);
    {
        std::lock_guard lock(state_mutex_);
        current_ = tab->short_id;
    }
    if (!url.empty() && url != "about:blank") navigate(*tab, url, until, timeout);
    return *tab;
}

void BrowserSession::switch_tab(const std::string& id) {
    std::shared_ptr<Tab> tab;
    {
        std::lock_guard lock(state_mutex_);
        for (auto& t : tabs_)
            if (t->short_id == id) tab = t;
        if (!tab) throw ToolFailure("no tab '" + id + "'; list them with tabs action 'list'");
        current_ = id;
    }
    cdp_->call("Target.activateTarget", {{"targetId", tab->target_id}});
}

void BrowserSession::close_tab(const std::string& id) {
    std::shared_ptr<Tab> tab;
    {
        std::lock_guard lock(state_mutex_);
        for (auto& t : tabs_)
            if (t->short_id == id) tab = t;
    }
    if (!tab) throw ToolFailure("no tab '" + id + "'; list them with tabs action 'list'");
    cdp_->call("Target.closeTarget", {{"targetId", tab->target_id}});
    std::lock_guard lock(state_mutex_);
    std::erase_if(tabs_, [&](const auto& t) { return t == tab; });
    if (current_ == id) current_ = tabs_.empty() ? "" : tabs_.back()->short_id;
}

Json BrowserSession::list_tabs() {
    std::vector<std::shared_ptr<Tab>> tabs;
    std::string current;
    {
        std::lock_guard lock(state_mutex_);
        tabs = tabs_;
        current = current_;
    }
    Json out = Json::array();
    for (const auto& t : tabs) {
        std::string title;
        try {
            title = cdp_->call("Target.getTargetInfo", {{"targetId", t->target_id}})["targetInfo"].value("title", "");
        } catch (const ToolFailure&) {
        }
        std::lock_guard lock(state_mutex_);
        out.push_back({{"id", t->short_id}, {"url", t->url}, {"title", title}, {"current", t->short_id == current}});
    }
    return out;
}

Json BrowserSession::logs(Tab& tab, bool network, size_t limit, bool clear) {
    std::lock_guard lock(state_mutex_);
    RingBuffer& ring = network ? tab.network : tab.console;
    Json out{{"entries", ring.tail(limit)}, {"dropped", ring.dropped()}};
    if (clear) ring.clear();
    return out;
}

Json BrowserSession::describe() const {
    Json d{{"mode", config_.attach_url.empty() ? "launched" : "attached"}, {"running", static_cast<bool>(cdp_)}};
    if (process_) {
        d["pid"] = process_->pid();
        d["profileDir"] = process_->scratch_dir();
        d["wsUrl"] = process_->ws_url();
    }
    return d;
}

}  // namespace cowork::browser
