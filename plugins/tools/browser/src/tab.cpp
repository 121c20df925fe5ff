#include "tab.hpp"

namespace cowork::browser {
namespace {

constexpr size_t kMaxEntryText = 2000;  // one console line or URL in a log

std::string clip(std::string s) {
    if (s.size() > kMaxEntryText) s = s.substr(0, kMaxEntryText) + "…";
    return s;
}

bool on_lifecycle(Tab& tab, const Json& p) {
    if (p.value("frameId", "") != tab.target_id) return false;
    const std::string name = p.value("name", "");
    const std::string loader = p.value("loaderId", "");
    if (name == "init") {
        tab.loader_id = loader;
        tab.lifecycle.clear();
    } else if (loader == tab.loader_id) {
        tab.lifecycle.insert(name);
    }
    return true;
}

bool on_frame_navigated(Tab& tab, const Json& p) {
    const Json& frame = p.value("frame", Json::object());
    if (frame.contains("parentId") || frame.value("id", "") != tab.target_id) return false;
    tab.url = frame.value("url", "") + frame.value("urlFragment", "");
    ++tab.commits;
    return true;
}

void on_console(Tab& tab, const Json& p) {
    tab.console.push({{"level", p.value("type", "log")}, {"text", clip(console_text(p.value("args", Json::array())))},
                      {"source", "console"}});
}

void on_exception(Tab& tab, const Json& p) {
    const Json& d = p.value("exceptionDetails", Json::object());
    std::string text = d.value("text", "exception");
    if (d.contains("exception")) text += " " + d["exception"].value("description", "");
    tab.console.push({{"level", "error"}, {"text", clip(text)}, {"source", "exception"}, {"url", d.value("url", "")}});
}

void on_log_entry(Tab& tab, const Json& p) {
    const Json& e = p.value("entry", Json::object());
    tab.console.push({{"level", e.value("level", "info")}, {"text", clip(e.value("text", ""))},
                      {"source", e.value("source", "other")}, {"url", clip(e.value("url", ""))}});
}

void on_request(Tab& tab, const Json& p) {
    const Json& r = p.value("request", Json::object());
    tab.network.push({{"requestId", p.value("requestId", "")}, {"method", r.value("method", "GET")},
                      {"url", clip(r.value("url", ""))}, {"type", p.value("type", "Other")}});
}

void on_response(Tab& tab, const Json& p) {
    if (Json* e = tab.network.find_last("requestId", p.value("requestId", ""))) {
        const Json& r = p.value("response", Json::object());
        (*e)["status"] = r.value("status", 0);
        (*e)["mimeType"] = r.value("mimeType", "");
    }
}

void on_failed(Tab& tab, const Json& p) {
    if (Json* e = tab.network.find_last("requestId", p.value("requestId", ""))) {
        (*e)["failed"] = p.value("errorText", "failed");
        if (p.contains("blockedReason")) (*e)["blockedReason"] = p["blockedReason"];
    }
}

}  // namespace

void RingBuffer::push(Json entry) {
    entries_.push_back(std::move(entry));
    while (entries_.size() > capacity_) {
        entries_.pop_front();
        ++dropped_;
    }
}

Json* RingBuffer::find_last(const std::string& key, const std::string& value) {
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it)
        if (it->is_object() && it->value(key, "") == value) return &*it;
    return nullptr;
}

Json RingBuffer::tail(size_t limit) const {
    Json out = Json::array();
    const size_t skip = limit == 0 || limit >= entries_.size() ? 0 : entries_.size() - limit;
    for (size_t i = skip; i < entries_.size(); ++i) out.push_back(entries_[i]);
    return out;
}

std::string Tab::ref_for(int64_t backend_node_id) {
    auto it = ref_of_node.find(backend_node_id);
    if (it != ref_of_node.end()) return it->second;
    std::string ref = "e" + std::to_string(next_ref++);
    ref_of_node.emplace(backend_node_id, ref);
    node_of_ref.emplace(ref, backend_node_id);
    return ref;
}

std::string console_text(const Json& args) {
    std::string text;
    for (const auto& a : args) {
        if (!text.empty()) text += ' ';
        if (a.contains("value")) text += a["value"].is_string() ? a["value"].get<std::string>() : a["value"].dump();
        else if (a.contains("unserializableValue")) text += a["unserializableValue"].get<std::string>();
        else text += a.value("description", a.value("type", ""));
    }
    return text;
}

bool apply_event(Tab& tab, const std::string& method, const Json& params) {
    if (method == "Page.lifecycleEvent") return on_lifecycle(tab, params);
    if (method == "Page.frameNavigated") return on_frame_navigated(tab, params);
    if (method == "Page.navigatedWithinDocument") {
        if (params.value("frameId", "") == tab.target_id) tab.url = params.value("url", tab.url);
        return true;
    }
    if (method == "Runtime.consoleAPICalled") on_console(tab, params);
    else if (method == "Runtime.exceptionThrown") on_exception(tab, params);
    else if (method == "Log.entryAdded") on_log_entry(tab, params);
    else if (method == "Network.requestWillBeSent") on_request(tab, params);
    else if (method == "Network.responseReceived") on_response(tab, params);
    else if (method == "Network.loadingFailed") on_failed(tab, params);
    return false;
}

}  // namespace cowork::browser
