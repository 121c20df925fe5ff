// event_store.hpp — one session's resumable SSE streams (MCP 2025-11-25
// Streamable HTTP, "Resumability and redelivery"): every event gets an id
// that is unique in the session and names its stream, a bounded buffer keeps
// recent events for replay after Last-Event-ID, and each stream has at most
// one live writer (the POST response, a GET stream, or a GET that resumed it).
// Transport-neutral: writers are callbacks, so the Beast code stays in
// http_server.cpp.
#pragma once

#include "jsonrpc.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace cowork::mcp {

struct EventStoreLimits {
    size_t max_events = 256;     // per session; the oldest event is dropped first
    size_t max_bytes = 1 << 20;  // JSON text per session (the newest event is always kept)
};

class EventStore {
public:
    // A stream's live connection. Gets each event as SSE text, in order, and
    // finally end=true (empty text) when the stream is over or taken over by
    // a newer connection. Called with the store's lock held: it must only
    // queue the bytes (post them to its connection), never call back in.
    using Writer = std::function<void(const std::string& sse, bool end)>;

    struct Opened {
        uint64_t stream = 0;
        uint64_t writer = 0;        // token for detach()
        std::string priming_id;     // the id of the stream's priming event
    };

    enum class Resume { ok, unknown, gap };
    struct Resumed {
        Resume status = Resume::unknown;
        uint64_t stream = 0;
        uint64_t writer = 0;
        bool request_stream = false;  // a POST's stream (it ends with its response)
    };

    EventStore();  // a random per-store tag makes ids of other sessions unknown here

    void set_limits(EventStoreLimits limits);

    // [any-thread] A new stream with `writer` attached. request_stream: a
    // POST's stream, which ends with finish(); otherwise a standalone GET stream.
    Opened open(Writer writer, bool request_stream);

    // [any-thread] Records `message` on `stream` and hands it to the stream's writer, if any.
    void send(uint64_t stream, const Json& message);

    // [any-thread] The request behind `stream` is done: its response (null: none,
    // e.g. cancelled) is recorded and delivered, then the stream ends.
    void finish(uint64_t stream, const Json& response);

    // [any-thread] Takes `writer` off `stream` if it is still the stream's
    // writer and the stream has not finished. True: the caller now ends its
    // connection's stream itself; false: an end is already on its way (or the
    // writer was replaced).
    bool detach(uint64_t stream, uint64_t writer);

    // [any-thread] Resumes the stream named by `last_event_id`: the events of
    // that stream after it are handed to `writer` (under the lock, so nothing
    // is lost or duplicated), then the writer stays attached — or gets
    // end=true at once when the stream already finished. A previous writer of
    // the stream gets end=true. unknown: malformed, another session's or a
    // forgotten id; gap: events after it were dropped (replay would skip some).
    Resumed resume(const std::string& last_event_id, Writer writer);

    size_t stored_events() const;
    size_t stored_bytes() const;
    size_t streams() const;

    static std::string sse(const std::string& id, const std::string& data);  // one `message` event

private:
    struct Event {
        uint64_t stream;
        uint64_t seq;
        std::string data;  // JSON text
    };
    struct Stream {
        Writer writer;
        uint64_t writer_token = 0;
        bool request = false;
        bool finished = false;
        uint64_t dropped_through = 0;  // highest seq of this stream evicted from the buffer
        size_t stored = 0;             // its events still in the buffer
    };

    std::string id_of(uint64_t stream, uint64_t seq) const;
    bool parse_id(const std::string& id, uint64_t& stream, uint64_t& seq) const;
    void record(uint64_t stream, Stream& s, const Json& message);  // lock held
    void evict();                                                    // lock held
    void forget_idle_streams();                                      // lock held

    const std::string tag_;
    mutable std::mutex mutex_;
    EventStoreLimits limits_;
    uint64_t next_seq_ = 0;
    uint64_t next_stream_ = 0;
    uint64_t next_writer_ = 0;
    std::deque<Event> events_;
    size_t bytes_ = 0;
    std::map<uint64_t, Stream> streams_;
};

}  // namespace cowork::mcp
