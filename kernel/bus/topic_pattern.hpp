// kernel/bus/topic_pattern.hpp — dot-separated topics and the patterns that match them.
#pragma once

#include "core/result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cowork::kernel::bus {

// A topic is one or more non-empty segments joined by '.', each segment made
// of [A-Za-z0-9_-]. Wildcards are not allowed in topics.
Status validate_topic(std::string_view topic);

// A subscription pattern, validated once at subscribe time:
//   "task.created"  exact
//   "task.*"        '*' matches exactly one segment
//   "task.#"        '#' matches zero or more trailing segments ("task" too)
//   "#"             everything
// '#' may only be the last segment; a wildcard must be a whole segment.
class TopicPattern {
public:
    static Result<TopicPattern> parse(std::string_view pattern);

    bool matches(std::string_view topic) const;
    const std::string& text() const { return text_; }

private:
    TopicPattern() = default;

    std::string text_;
    std::vector<std::string> segments_;  // "#" only possibly last
};

}  // namespace cowork::kernel::bus
