#include "plugins/semver.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace cowork::kernel::plugins {
namespace {

bool is_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<uint64_t> parse_number(std::string_view s) {
    if (!is_digits(s) || (s.size() > 1 && s[0] == '0')) return std::nullopt;  // no leading zeros
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return n;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
        const size_t at = s.find(sep, start);
        parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) return parts;
        start = at + 1;
    }
}

bool valid_identifier(std::string_view id, bool numeric_no_leading_zero) {
    if (id.empty()) return false;
    const bool chars_ok = std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    });
    if (!chars_ok) return false;
    return !(numeric_no_leading_zero && is_digits(id) && id.size() > 1 && id[0] == '0');
}

std::strong_ordering compare_identifier(const std::string& a, const std::string& b) {
    const bool an = is_digits(a), bn = is_digits(b);
    if (an && bn) {
        if (a.size() != b.size()) return a.size() <=> b.size();  // no leading zeros: longer is bigger
        return a.compare(b) <=> 0;
    }
    if (an != bn) return an ? std::strong_ordering::less : std::strong_ordering::greater;
    return a.compare(b) <=> 0;
}

// A version with some parts left open: "1", "1.2", "1.x", "*".
struct Partial {
    std::optional<uint64_t> major, minor, patch;
    std::vector<std::string> prerelease;

    Version floor() const { return Version{major.value_or(0), minor.value_or(0), patch.value_or(0), prerelease, {}}; }
    bool complete() const { return major && minor && patch; }
};

bool is_wildcard(std::string_view s) { return s == "x" || s == "X" || s == "*"; }

std::optional<Partial> parse_partial(std::string_view text) {
    if (!text.empty() && (text[0] == 'v' || text[0] == 'V')) text.remove_prefix(1);
    Partial p;
    if (text.empty() || is_wildcard(text)) return p;
    if (const auto plus = text.find('+'); plus != std::string_view::npos) text = text.substr(0, plus);
    std::string_view core = text;
    if (const auto dash = text.find('-'); dash != std::string_view::npos) {
        core = text.substr(0, dash);
        for (auto id : split(text.substr(dash + 1), '.')) {
            if (!valid_identifier(id, true)) return std::nullopt;
            p.prerelease.emplace_back(id);
        }
    }
    const auto parts = split(core, '.');
    if (parts.size() > 3) return std::nullopt;
    std::optional<uint64_t>* slots[] = {&p.major, &p.minor, &p.patch};
    bool open = false;  // after a wildcard every later part must be open too
    for (size_t i = 0; i < parts.size(); ++i) {
        if (is_wildcard(parts[i])) {
            open = true;
            continue;
        }
        if (open) return std::nullopt;
        auto n = parse_number(parts[i]);
        if (!n) return std::nullopt;
        *slots[i] = *n;
    }
    if (!p.prerelease.empty() && !p.complete()) return std::nullopt;
    return p;
}

using Op = VersionRange::Op;
using Comparator = VersionRange::Comparator;

Version make(uint64_t major, uint64_t minor, uint64_t patch) { return Version{major, minor, patch, {}, {}}; }

// The smallest version above everything the partial names: "1" → 2.0.0, "1.2" → 1.3.0.
Version next_after(const Partial& p) {
    if (!p.minor) return make(*p.major + 1, 0, 0);
    return make(*p.major, *p.minor + 1, 0);
}

const Comparator kAny{Op::Ge, make(0, 0, 0)};
const Comparator kNone{Op::Lt, make(0, 0, 0)};

// Desugars one token ("^1.2", ">=1.0", "1.x") into plain comparators.
std::optional<std::vector<Comparator>> desugar(std::string_view token) {
    std::string_view op;
    for (std::string_view candidate : {">=", "<=", ">", "<", "=", "^", "~"}) {
        if (token.substr(0, candidate.size()) == candidate) {
            op = candidate;
            break;
        }
    }
    auto p = parse_partial(token.substr(op.size()));
    if (!p) return std::nullopt;
    if (!p->major) {  // "*", ">=*", "^*": everything (or nothing for < and >)
        if (op == "<" || op == ">") return std::vector{kNone};
        return std::vector{kAny};
    }
    const Version low = p->floor();
    if (op == "^") {
        Version high;
        if (*p->major > 0 || !p->minor) high = make(*p->major + 1, 0, 0);
        else if (*p->minor > 0 || !p->patch) high = make(0, *p->minor + 1, 0);
        else high = make(0, 0, *p->patch + 1);
        return std::vector{Comparator{Op::Ge, low}, Comparator{Op::Lt, high}};
    }
    if (op == "~") {
        const Version high = p->minor ? make(*p->major, *p->minor + 1, 0) : make(*p->major + 1, 0, 0);
        return std::vector{Comparator{Op::Ge, low}, Comparator{Op::Lt, high}};
    }
    if (p->complete()) {
        if (op == ">=") return std::vector{Comparator{Op::Ge, low}};
        if (op == "<=") return std::vector{Comparator{Op::Le, low}};
        if (op == ">") return std::vector{Comparator{Op::Gt, low}};
        if (op == "<") return std::vector{Comparator{Op::Lt, low}};
        return std::vector{Comparator{Op::Eq, low}};
    }
    // A partial version with an operator: ">1.2" means ">=1.3.0", "<=1.2" means "<1.3.0".
    if (op == ">=") return std::vector{Comparator{Op::Ge, low}};
    if (op == "<") return std::vector{Comparator{Op::Lt, low}};
    if (op == ">") return std::vector{Comparator{Op::Ge, next_after(*p)}};
    if (op == "<=") return std::vector{Comparator{Op::Lt, next_after(*p)}};
    return std::vector{Comparator{Op::Ge, low}, Comparator{Op::Lt, next_after(*p)}};  // "1.2", "=1.x"
}

std::vector<std::string> tokens_of(std::string_view s) {
    std::vector<std::string> out;
    std::istringstream in{std::string(s)};
    std::string t;
    while (in >> t) {
        // Glue a lone operator to its version: ">= 1.2.0" → ">=1.2.0".
        if (!out.empty() && !out.back().empty() && out.back().find_first_not_of("<>=^~") == std::string::npos)
            out.back() += t;
        else
            out.push_back(t);
    }
    return out;
}

std::optional<std::vector<Comparator>> parse_alternative(std::string_view text) {
    auto tokens = tokens_of(text);
    std::vector<Comparator> set;
    if (tokens.empty()) return std::vector{kAny};
    if (tokens.size() == 3 && tokens[1] == "-") {  // hyphen range "1.2.3 - 2.3.4"
        auto lo = parse_partial(tokens[0]);
        auto hi = parse_partial(tokens[2]);
        if (!lo || !hi) return std::nullopt;
        set.push_back(Comparator{Op::Ge, lo->floor()});
        if (!hi->major) return set;
        set.push_back(hi->complete() ? Comparator{Op::Le, hi->floor()} : Comparator{Op::Lt, next_after(*hi)});
        return set;
    }
    for (const auto& token : tokens) {
        auto part = desugar(token);
        if (!part) return std::nullopt;
        set.insert(set.end(), part->begin(), part->end());
    }
    return set;
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
    auto p = parse_partial(text);
    if (!p || !p->complete() || text.empty() || text[0] == 'v' || text[0] == 'V') return std::nullopt;
    Version v = p->floor();
    if (const auto plus = text.find('+'); plus != std::string_view::npos) {
        for (auto id : split(text.substr(plus + 1), '.'))
            if (!valid_identifier(id, false)) return std::nullopt;
        v.build = std::string(text.substr(plus + 1));
    }
    return v;
}

std::string Version::to_string() const {
    std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    for (size_t i = 0; i < prerelease.size(); ++i) s += (i ? "." : "-") + prerelease[i];
    if (!build.empty()) s += "+" + build;
    return s;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) {
    if (auto c = std::tie(a.major, a.minor, a.patch) <=> std::tie(b.major, b.minor, b.patch); c != 0) return c;
    // A release is above any of its prereleases.
    if (a.prerelease.empty() != b.prerelease.empty())
        return a.prerelease.empty() ? std::strong_ordering::greater : std::strong_ordering::less;
    const size_t n = std::min(a.prerelease.size(), b.prerelease.size());
    for (size_t i = 0; i < n; ++i)
        if (auto c = compare_identifier(a.prerelease[i], b.prerelease[i]); c != 0) return c;
    return a.prerelease.size() <=> b.prerelease.size();
}

bool VersionRange::Comparator::matches(const Version& v) const {
    const auto c = v <=> version;
    switch (op) {
    case Op::Eq: return c == 0;
    case Op::Lt: return c < 0;
    case Op::Le: return c <= 0;
    case Op::Gt: return c > 0;
    case Op::Ge: return c >= 0;
    }
    return false;
}

Result<VersionRange> VersionRange::parse(std::string_view text) {
    VersionRange range;
    range.text_ = std::string(text);
    size_t start = 0;
    while (true) {
        const size_t bar = text.find("||", start);
        auto set = parse_alternative(text.substr(start, bar == std::string_view::npos ? bar : bar - start));
        if (!set)
            return make_error("semver.range", "\"" + std::string(text) +
                                                  "\" is not a version range (try \"^1.2\", \">=1.0.0 <2.0.0\" or \"*\")");
        range.alternatives_.push_back(std::move(*set));
        if (bar == std::string_view::npos) break;
        start = bar + 2;
    }
    return range;
}

bool VersionRange::contains(const Version& v) const {
    for (const auto& set : alternatives_) {
        const bool all = std::all_of(set.begin(), set.end(), [&](const Comparator& c) { return c.matches(v); });
        if (!all) continue;
        if (v.prerelease.empty()) return true;
        const bool opted_in = std::any_of(set.begin(), set.end(), [&](const Comparator& c) {
            return !c.version.prerelease.empty() && c.version.same_release(v);
        });
        if (opted_in) return true;
    }
    return false;
}

}  // namespace cowork::kernel::plugins
