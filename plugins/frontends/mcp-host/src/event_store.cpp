#include "event_store.hpp"

#include "random_hex.hpp"

#include <charconv>

namespace cowork::mcp {
namespace {

bool parse_number(std::string_view text, uint64_t& out) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

EventStore::EventStore() : tag_(random_hex(6)) {}

void EventStore::set_limits(EventStoreLimits limits) {
    std::lock_guard lock(mutex_);
    limits_ = limits;
    evict();
}

// "<session tag>-<stream>-<seq>": seq counts across the session's streams, so
// ids are unique in the session; the stream part routes a Last-Event-ID; the
// tag keeps another session's ids from naming a stream here.
std::string EventStore::id_of(uint64_t stream, uint64_t seq) const {
    return tag_ + "-" + std::to_string(stream) + "-" + std::to_string(seq);
}

bool EventStore::parse_id(const std::string& id, uint64_t& stream, uint64_t& seq) const {
    const std::string_view v(id);
    if (v.size() <= tag_.size() + 1 || v.substr(0, tag_.size()) != tag_ || v[tag_.size()] != '-') return false;
    const std::string_view rest = v.substr(tag_.size() + 1);
    const auto dash = rest.find('-');
    if (dash == std::string_view::npos) return false;
    return parse_number(rest.substr(0, dash), stream) && parse_number(rest.substr(dash + 1), seq);
}

std::string EventStore::sse(const std::string& id, const std::string& data) {
    return "id: " + id + "\nevent: message\ndata: " + data + "\n\n";
}

EventStore::Opened EventStore::open(Writer writer, bool request_stream) {
    std::lock_guard lock(mutex_);
    const uint64_t id = ++next_stream_;
    Stream& s = streams_[id];
    s.writer = std::move(writer);
    s.writer_token = ++next_writer_;
    s.request = request_stream;
    Opened out{id, s.writer_token, id_of(id, ++next_seq_)};
    forget_idle_streams();
    return out;
}

void EventStore::record(uint64_t stream, Stream& s, const Json& message) {
    const uint64_t seq = ++next_seq_;
    std::string data = dump(message);
    if (s.writer) s.writer(sse(id_of(stream, seq), data), false);
    bytes_ += data.size();
    events_.push_back({stream, seq, std::move(data)});
    ++s.stored;
    evict();
}

void EventStore::send(uint64_t stream, const Json& message) {
    std::lock_guard lock(mutex_);
    const auto it = streams_.find(stream);
    if (it == streams_.end() || it->second.finished) return;  // a stream of an ended connection that was forgotten
    record(stream, it->second, message);
}

void EventStore::finish(uint64_t stream, const Json& response) {
    std::lock_guard lock(mutex_);
    const auto it = streams_.find(stream);
    if (it == streams_.end() || it->second.finished) return;
    Stream& s = it->second;
    if (!response.is_null()) record(stream, s, response);
    s.finished = true;
    if (s.writer) s.writer("", true);
    s.writer = nullptr;
    forget_idle_streams();
}

bool EventStore::detach(uint64_t stream, uint64_t writer) {
    std::lock_guard lock(mutex_);
    const auto it = streams_.find(stream);
    if (it == streams_.end() || it->second.finished || it->second.writer_token != writer || !it->second.writer) return false;
    it->second.writer = nullptr;
    forget_idle_streams();
    return true;
}

EventStore::Resumed EventStore::resume(const std::string& last_event_id, Writer writer) {
    std::lock_guard lock(mutex_);
    Resumed out;
    uint64_t stream = 0, after = 0;
    if (!parse_id(last_event_id, stream, after) || after > next_seq_) return out;
    const auto it = streams_.find(stream);
    if (it == streams_.end()) return out;
    Stream& s = it->second;
    out.stream = stream;
    out.request_stream = s.request;
    if (s.dropped_through > after) {
        out.status = Resume::gap;
        return out;
    }
    out.status = Resume::ok;
    if (s.writer) s.writer("", true);  // the client left that connection for this one
    for (const Event& e : events_)
        if (e.stream == stream && e.seq > after) writer(sse(id_of(stream, e.seq), e.data), false);
    if (s.finished) {
        writer("", true);
        s.writer = nullptr;
        return out;
    }
    s.writer = std::move(writer);
    s.writer_token = out.writer = ++next_writer_;
    return out;
}

// Oldest first, down to the limits; the newest event always stays, so a
// finished call's large response is still there for the client that resumes.
void EventStore::evict() {
    while (events_.size() > 1 && (events_.size() > limits_.max_events || bytes_ > limits_.max_bytes)) {
        const Event& e = events_.front();
        if (auto it = streams_.find(e.stream); it != streams_.end()) {
            it->second.dropped_through = e.seq;
            --it->second.stored;
        }
        bytes_ -= e.data.size();
        events_.pop_front();
    }
}

// Stream records are small but a session may open streams without end; past
// max_events records, those nobody can resume usefully any more (no writer,
// nothing buffered, done or standalone) are forgotten, oldest first.
void EventStore::forget_idle_streams() {
    for (auto it = streams_.begin(); it != streams_.end() && streams_.size() > limits_.max_events;) {
        const Stream& s = it->second;
        const bool idle = !s.writer && s.stored == 0 && (s.finished || !s.request);
        it = idle ? streams_.erase(it) : std::next(it);
    }
}

size_t EventStore::stored_events() const {
    std::lock_guard lock(mutex_);
    return events_.size();
}

size_t EventStore::stored_bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

size_t EventStore::streams() const {
    std::lock_guard lock(mutex_);
    return streams_.size();
}

}  // namespace cowork::mcp
