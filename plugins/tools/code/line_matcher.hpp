// line_matcher.hpp — finds the lines of a buffer that match a pattern, fast.
//
// Patterns are POSIX extended regular expressions (grep -E), compiled with
// regcomp, plus \d and \D. std::regex is far too slow for a whole tree, so
// the matcher first extracts a literal that every match must contain and
// scans the buffer for it with memmem; only the lines that contain it go
// through regexec (REG_STARTEND: no copy per line). A pattern without
// metacharacters never reaches the regex engine at all.
#pragma once

#include <regex.h>

#include <functional>
#include <string>
#include <string_view>

namespace cowork::tools::code {

struct MatchOptions {
    bool ignore_case = false;
    bool fixed_strings = false;  // the pattern is a literal string
};

class LineMatcher {
public:
    // Throws ToolFailure naming the problem when the regex does not compile.
    LineMatcher(const std::string& pattern, MatchOptions options);
    ~LineMatcher();
    LineMatcher(const LineMatcher&) = delete;
    LineMatcher& operator=(const LineMatcher&) = delete;

    // Calls on_line(begin, end) for each matching line (end excludes the
    // '\n'), in order, until it returns false.
    void scan(std::string_view text, const std::function<bool(size_t begin, size_t end)>& on_line) const;

    const std::string& required_literal() const noexcept { return literal_; }
    bool uses_regex() const noexcept { return !pure_literal_; }

private:
    bool line_matches(std::string_view text, size_t begin, size_t end) const;

    MatchOptions options_;
    std::string literal_;       // lower-cased when ignore_case
    bool pure_literal_ = false;
    bool compiled_ = false;
    regex_t regex_{};
};

// Exposed for tests: the longest literal every match must contain ("" if none).
std::string required_literal_of(std::string_view ere);
// \d → [0-9], \D → [^0-9] outside bracket expressions.
std::string translate_pattern(std::string_view pattern);

}  // namespace cowork::tools::code
