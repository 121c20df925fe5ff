#include "line_matcher.hpp"

#include "cowork_tools/tool_failure.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace cowork::tools::code {
namespace {

bool has_regex_meta(std::string_view p) { return p.find_first_of(".[]()*+?{}|^$\\") != std::string_view::npos; }

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Index just past the bracket expression starting at p ('[').
size_t skip_bracket(std::string_view p, size_t i) {
    ++i;
    if (i < p.size() && p[i] == '^') ++i;
    if (i < p.size() && p[i] == ']') ++i;
    while (i < p.size() && p[i] != ']') {
        if (p[i] == '[' && i + 1 < p.size() && (p[i + 1] == ':' || p[i + 1] == '.' || p[i + 1] == '=')) {
            const char kind = p[i + 1];
            const size_t close = p.find(std::string{kind, ']'}, i + 2);
            i = close == std::string_view::npos ? p.size() : close + 2;
            continue;
        }
        ++i;
    }
    return std::min(i + 1, p.size());
}

// Index just past the group starting at p ('(').
size_t skip_group(std::string_view p, size_t i) {
    int depth = 0;
    for (; i < p.size(); ++i) {
        if (p[i] == '\\') {
            ++i;
        } else if (p[i] == '[') {
            i = skip_bracket(p, i) - 1;
        } else if (p[i] == '(') {
            ++depth;
        } else if (p[i] == ')' && --depth == 0) {
            return i + 1;
        }
    }
    return p.size();
}

}  // namespace

std::string translate_pattern(std::string_view p) {
    std::string out;
    for (size_t i = 0; i < p.size(); ++i) {
        if (p[i] == '[') {
            const size_t end = skip_bracket(p, i);
            out.append(p.substr(i, end - i));
            i = end - 1;
        } else if (p[i] == '\\' && i + 1 < p.size()) {
            const char next = p[++i];
            if (next == 'd') out += "[0-9]";
            else if (next == 'D') out += "[^0-9]";
            else out += {'\\', next};
        } else {
            out += p[i];
        }
    }
    return out;
}

std::string required_literal_of(std::string_view p) {
    // Any top-level alternation: no single literal is required.
    for (size_t i = 0; i < p.size(); ++i) {
        if (p[i] == '\\') ++i;
        else if (p[i] == '[') i = skip_bracket(p, i) - 1;
        else if (p[i] == '(') i = skip_group(p, i) - 1;
        else if (p[i] == '|') return "";
    }
    std::string best, run;
    auto end_run = [&] {
        if (run.size() > best.size()) best = run;
        run.clear();
    };
    for (size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        const bool quantified_next = i + 1 < p.size() && (p[i + 1] == '*' || p[i + 1] == '?' || p[i + 1] == '{');
        if (c == '\\' && i + 1 < p.size()) {
            const char e = p[i + 1];
            ++i;
            if (std::isalnum(static_cast<unsigned char>(e)) || e == '<' || e == '>' || e == '`' || e == '\'') {
                end_run();  // \w, \b, \1 ...: not literal
                continue;
            }
            const bool q = i + 1 < p.size() && (p[i + 1] == '*' || p[i + 1] == '?' || p[i + 1] == '{');
            if (q) end_run();
            else run += e;
            continue;
        }
        if (c == '[') {
            end_run();
            i = skip_bracket(p, i) - 1;
            continue;
        }
        if (c == '(') {
            end_run();
            i = skip_group(p, i) - 1;
            continue;
        }
        if (c == '{') {
            end_run();
            while (i < p.size() && p[i] != '}') ++i;
            continue;
        }
        if (std::strchr(".^$*?+)|", c)) {
            end_run();
            continue;
        }
        if (quantified_next) {
            end_run();  // this character may be absent
            continue;
        }
        run += c;
    }
    end_run();
    return best;
}

LineMatcher::LineMatcher(const std::string& pattern, MatchOptions options) : options_(options) {
    if (pattern.empty()) throw ToolFailure("the pattern is empty");
    pure_literal_ = options.fixed_strings || !has_regex_meta(pattern);
    std::string literal = pure_literal_ ? pattern : required_literal_of(translate_pattern(pattern));
    if (options.ignore_case && !is_ascii(literal)) literal.clear();  // ASCII folding only
    if (pure_literal_ && literal.empty()) pure_literal_ = false;        // fall back to the regex
    literal_ = options.ignore_case ? ascii_lower(literal) : literal;
    if (pure_literal_) return;

    std::string ere = options.fixed_strings ? std::string() : translate_pattern(pattern);
    if (options.fixed_strings) {  // non-ASCII literal with ignore_case: escape into a regex
        for (char c : pattern) {
            if (std::strchr(".[]()*+?{}|^$\\", c)) ere += '\\';
            ere += c;
        }
    }
    int flags = REG_EXTENDED | REG_NOSUB;
    if (options.ignore_case) flags |= REG_ICASE;
    const int rc = ::regcomp(&regex_, ere.c_str(), flags);
    if (rc != 0) {
        char why[256];
        ::regerror(rc, &regex_, why, sizeof why);
        throw ToolFailure("invalid regular expression '" + pattern + "': " + why +
                          ". Patterns are POSIX extended regex (like grep -E, plus \\d); escape metacharacters "
                          "with a backslash or pass fixedStrings=true to search for the text literally");
    }
    compiled_ = true;
}

LineMatcher::~LineMatcher() {
    if (compiled_) ::regfree(&regex_);
}

bool LineMatcher::line_matches(std::string_view text, size_t begin, size_t end) const {
    if (pure_literal_) return true;  // the literal was found on this line
    if (end > begin && text[end - 1] == '\r') --end;
    // The range starts at the line itself so '^' matches there (glibc
    // judges the start by the preceding byte otherwise).
    regmatch_t range{};
    range.rm_so = 0;
    range.rm_eo = static_cast<regoff_t>(end - begin);
    return ::regexec(&regex_, text.data() + begin, 1, &range, REG_STARTEND) == 0;
}

void LineMatcher::scan(std::string_view text, const std::function<bool(size_t, size_t)>& on_line) const {
    const size_t n = text.size();
    if (!literal_.empty()) {
        std::string lowered;
        std::string_view hay = text;
        if (options_.ignore_case) {
            lowered = ascii_lower(text);
            hay = lowered;
        }
        size_t pos = 0;
        while (pos < n) {
            const void* hit = ::memmem(hay.data() + pos, n - pos, literal_.data(), literal_.size());
            if (!hit) return;
            const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - hay.data());
            const void* nl_before = ::memrchr(hay.data() + pos, '\n', at - pos);
            const size_t begin = nl_before ? static_cast<size_t>(static_cast<const char*>(nl_before) - hay.data()) + 1 : pos;
            const void* nl_after = std::memchr(hay.data() + at, '\n', n - at);
            const size_t end = nl_after ? static_cast<size_t>(static_cast<const char*>(nl_after) - hay.data()) : n;
            if (line_matches(text, begin, end) && !on_line(begin, end)) return;
            pos = end + 1;
        }
        return;
    }
    for (size_t begin = 0; begin < n;) {
        const void* nl = std::memchr(text.data() + begin, '\n', n - begin);
        const size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) : n;
        if (line_matches(text, begin, end) && !on_line(begin, end)) return;
        begin = end + 1;
    }
}

}  // namespace cowork::tools::code
