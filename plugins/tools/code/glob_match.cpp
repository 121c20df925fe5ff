#include "glob_match.hpp"

#include <cctype>

namespace cowork::tools::code {
namespace {

bool same(char a, char b, bool icase) {
    if (!icase) return a == b;
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

// Matches a bracket class starting at pat[p] == '['. Sets `next` past the
// class. Returns false with next == p when the class is unterminated (then
// '[' is an ordinary character).
bool match_class(std::string_view pat, size_t p, char c, bool icase, size_t& next, bool& matched) {
    size_t i = p + 1;
    bool negate = false;
    if (i < pat.size() && (pat[i] == '!' || pat[i] == '^')) negate = true, ++i;
    bool hit = false;
    bool first = true;
    while (i < pat.size() && (pat[i] != ']' || first)) {
        first = false;
        char lo = pat[i];
        if (lo == '\\' && i + 1 < pat.size()) lo = pat[++i];
        char hi = lo;
        if (i + 2 < pat.size() && pat[i + 1] == '-' && pat[i + 2] != ']') {
            hi = pat[i + 2];
            if (hi == '\\' && i + 3 < pat.size()) hi = pat[++i + 2];
            i += 2;
        }
        const auto uc = static_cast<unsigned char>(c);
        if ((uc >= static_cast<unsigned char>(lo) && uc <= static_cast<unsigned char>(hi)) ||
            (icase && (same(c, lo, true) || same(c, hi, true))))
            hit = true;
        ++i;
    }
    if (i >= pat.size()) return false;  // no closing ']'
    next = i + 1;
    matched = (hit != negate) && c != '/';
    return true;
}

bool match_at(std::string_view pat, size_t p, std::string_view str, size_t s, bool icase) {
    while (p < pat.size()) {
        const char c = pat[p];
        if (c == '*') {
            const bool seg_start = p == 0 || pat[p - 1] == '/';
            if (p + 1 < pat.size() && pat[p + 1] == '*' && seg_start) {
                const size_t after = p + 2;
                if (after == pat.size()) return true;  // "**" at the end: everything below
                if (pat[after] == '/') {
                    // Zero segments, or skip to after any later '/'.
                    if (match_at(pat, after + 1, str, s, icase)) return true;
                    for (size_t i = s; i < str.size(); ++i)
                        if (str[i] == '/' && match_at(pat, after + 1, str, i + 1, icase)) return true;
                    return false;
                }
            }
            while (p < pat.size() && pat[p] == '*') ++p;
            for (size_t i = s;; ++i) {
                if (match_at(pat, p, str, i, icase)) return true;
                if (i >= str.size() || str[i] == '/') return false;
            }
        }
        if (s >= str.size()) return false;
        if (c == '?') {
            if (str[s] == '/') return false;
            ++p, ++s;
            continue;
        }
        if (c == '[') {
            size_t next = p;
            bool matched = false;
            if (match_class(pat, p, str[s], icase, next, matched)) {
                if (!matched) return false;
                p = next, ++s;
                continue;
            }
        }
        char literal = c;
        if (c == '\\' && p + 1 < pat.size()) literal = pat[++p];
        if (!same(literal, str[s], icase)) return false;
        ++p, ++s;
    }
    return s == str.size();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view path, bool case_insensitive) {
    return match_at(pattern, 0, path, 0, case_insensitive);
}

bool is_literal_glob(std::string_view pattern) {
    return pattern.find_first_of("*?[\\") == std::string_view::npos;
}

}  // namespace cowork::tools::code
