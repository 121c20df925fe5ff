// tab.hpp — what we know about one page target: its CDP session, the state
// of its main-frame navigation, its console/network ring buffers and the
// element refs handed out by snapshots.
//
// Events arrive on the CDP I/O thread and are folded in by the on_* helpers
// below; the session holds its state mutex around every access.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>

namespace cowork::browser {

using Json = nlohmann::json;

// The last `capacity` entries, oldest first; counts what fell off.
class RingBuffer {
public:
    explicit RingBuffer(size_t capacity) : capacity_(capacity) {}
    void push(Json entry);
    Json* find_last(const std::string& key, const std::string& value);
    // The newest `limit` entries (all when 0), oldest first.
    Json tail(size_t limit) const;
    void clear() { entries_.clear(), dropped_ = 0; }
    size_t size() const { return entries_.size(); }
    size_t dropped() const { return dropped_; }

private:
    size_t capacity_;
    size_t dropped_ = 0;
    std::deque<Json> entries_;
};

struct Tab {
    Tab(std::string id, std::string target, std::string session, bool ours, size_t log_entries)
        : short_id(std::move(id)), target_id(std::move(target)), session_id(std::move(session)), created_by_us(ours),
          console(log_entries), network(log_entries) {}

    std::string short_id;    // "t1": what the model sees
    std::string target_id;   // CDP target id; also the main frame's id
    std::string session_id;  // flat session on the browser connection
    bool created_by_us = true;

    std::string url;
    std::string loader_id;            // the main frame's current document loader
    std::set<std::string> lifecycle;  // lifecycle events seen for loader_id
    uint64_t commits = 0;             // main-frame navigations committed
    RingBuffer console;
    RingBuffer network;

    // Refs: backendDOMNodeId <-> "eN", stable for the tab's life so a ref
    // from an earlier snapshot still names the same element.
    std::map<int64_t, std::string> ref_of_node;
    std::map<std::string, int64_t> node_of_ref;
    int next_ref = 1;
    std::string ref_for(int64_t backend_node_id);
};

// Folds one CDP event into the tab. Returns true when a waiter may care
// (navigation state changed).
bool apply_event(Tab& tab, const std::string& method, const Json& params);

// "[log] text" style rendering of console arguments.
std::string console_text(const Json& args);

}  // namespace cowork::browser
