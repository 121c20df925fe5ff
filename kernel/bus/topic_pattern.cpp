// kernel/bus/topic_pattern.cpp
#include "bus/topic_pattern.hpp"

namespace cowork::kernel::bus {
namespace {

bool is_segment_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

std::vector<std::string_view> split_segments(std::string_view text) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (true) {
        size_t dot = text.find('.', start);
        out.push_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos) return out;
        start = dot + 1;
    }
}

// Checks the shape shared by topics and patterns; `allow_wildcards` admits
// whole-segment '*' and a trailing '#'.
Status check_segments(std::string_view text, bool allow_wildcards, const char* what) {
    auto fail = [&](const std::string& why) -> Status {
        return make_error("bus.invalid_" + std::string(what),
                          std::string(what) + " '" + std::string(text) + "': " + why,
                          Json{{what, std::string(text)}});
    };
    if (text.empty()) return fail("is empty");
    if (text.size() > 255) return fail("is longer than 255 characters");
    auto segments = split_segments(text);
    for (size_t i = 0; i < segments.size(); ++i) {
        std::string_view seg = segments[i];
        if (seg.empty()) return fail("has an empty segment (leading, trailing or double '.')");
        if (allow_wildcards && seg == "*") continue;
        if (allow_wildcards && seg == "#") {
            if (i + 1 != segments.size()) return fail("'#' is only allowed as the last segment");
            continue;
        }
        for (char c : seg) {
            if (c == '*' || c == '#')
                return fail(allow_wildcards ? "a wildcard must be a whole segment"
                                            : "wildcards are not allowed in a topic");
            if (!is_segment_char(c))
                return fail("segments may contain only letters, digits, '_' and '-'");
        }
    }
    return ok_status();
}

}  // namespace

Status validate_topic(std::string_view topic) { return check_segments(topic, false, "topic"); }

Result<TopicPattern> TopicPattern::parse(std::string_view pattern) {
    if (auto st = check_segments(pattern, true, "pattern"); !st) return st.error();
    TopicPattern p;
    p.text_ = std::string(pattern);
    for (auto seg : split_segments(pattern)) p.segments_.emplace_back(seg);
    return p;
}

bool TopicPattern::matches(std::string_view topic) const {
    size_t pos = 0;  // start of the current topic segment
    for (size_t i = 0; i < segments_.size(); ++i) {
        const std::string& seg = segments_[i];
        if (seg == "#") return true;  // zero or more trailing segments
        if (pos > topic.size()) return false;  // topic ran out of segments
        size_t dot = topic.find('.', pos);
        size_t end = dot == std::string_view::npos ? topic.size() : dot;
        if (seg != "*" && topic.substr(pos, end - pos) != seg) return false;
        pos = end + 1;  // past the dot, or past the end when the topic is done
    }
    return pos > topic.size();  // every topic segment consumed
}

}  // namespace cowork::kernel::bus
