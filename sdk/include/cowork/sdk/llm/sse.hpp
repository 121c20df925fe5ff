// cowork/sdk/llm/sse.hpp — an incremental Server-Sent Events parser
// (the WHATWG "event stream" rules): feed bytes as they arrive, get whole
// events out. Handles CRLF, CR and LF line ends, multi-line data, comments,
// and a chunk boundary anywhere — including inside a line or a UTF-8 char.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace cowork::sdk::llm {

struct SseEvent {
    std::string event = "message";  // the "event:" field, default "message"
    std::string data;               // "data:" lines joined with '\n'
    std::string id;
};

class SseParser {
public:
    using Handler = std::function<void(const SseEvent&)>;
    explicit SseParser(Handler on_event) : on_event_(std::move(on_event)) {}

    void feed(std::string_view bytes) {
        for (char c : bytes) {
            if (skip_lf_) {
                skip_lf_ = false;
                if (c == '\n') continue;
            }
            if (c == '\r' || c == '\n') {
                skip_lf_ = c == '\r';
                line(line_);
                line_.clear();
            } else {
                line_.push_back(c);
            }
        }
    }

    // End of stream: a final event without its blank line is discarded, as
    // the spec says; a caller that wants it can check pending().
    bool pending() const { return has_data_ || !line_.empty(); }

    // The last "retry:" field seen (milliseconds the server asks a client to
    // wait before reconnecting), or -1 when none came. Callers that resume
    // streams (MCP's Streamable HTTP) honour it; the parser itself never reconnects.
    long retry_ms() const { return retry_ms_; }

private:
    void line(const std::string& l) {
        if (l.empty()) return dispatch();
        if (l[0] == ':') return;  // comment / keep-alive
        const auto colon = l.find(':');
        std::string_view field = colon == std::string::npos ? std::string_view(l) : std::string_view(l).substr(0, colon);
        std::string_view value = colon == std::string::npos ? std::string_view() : std::string_view(l).substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
        if (field == "data") {
            if (has_data_) current_.data.push_back('\n');
            current_.data.append(value);
            has_data_ = true;
        } else if (field == "event") {
            current_.event = std::string(value);
        } else if (field == "id") {
            current_.id = std::string(value);
        } else if (field == "retry" && !value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos &&
                 value.size() < 10) {
            retry_ms_ = std::stol(std::string(value));
        }
        // Unknown fields are ignored.
    }

    void dispatch() {
        if (has_data_ && on_event_) on_event_(current_);
        current_ = SseEvent{};
        has_data_ = false;
    }

    Handler on_event_;
    SseEvent current_;
    std::string line_;
    bool has_data_ = false;
    bool skip_lf_ = false;
    long retry_ms_ = -1;
};

// Newline-delimited JSON (Ollama's streaming format): whole lines out.
class LineSplitter {
public:
    using Handler = std::function<void(std::string_view line)>;
    explicit LineSplitter(Handler on_line) : on_line_(std::move(on_line)) {}

    void feed(std::string_view bytes) {
        for (char c : bytes) {
            if (c == '\n') {
                flush_line();
            } else {
                buffer_.push_back(c);
            }
        }
    }
    // End of stream: hand over a last line that had no newline.
    void finish() { flush_line(); }

private:
    void flush_line() {
        if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
        if (!buffer_.empty() && on_line_) on_line_(buffer_);
        buffer_.clear();
    }
    Handler on_line_;
    std::string buffer_;
};

}  // namespace cowork::sdk::llm
