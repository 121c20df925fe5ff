#include "gitignore.hpp"

#include "glob_match.hpp"

#include <optional>

namespace cowork::tools::code {
namespace {

// Trailing spaces are dropped unless escaped with a backslash.
std::string_view trim_trailing_spaces(std::string_view line) {
    while (!line.empty() && line.back() == ' ') {
        if (line.size() >= 2 && line[line.size() - 2] == '\\') break;
        line.remove_suffix(1);
    }
    return line;
}

std::optional<IgnoreRule> parse_line(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = trim_trailing_spaces(line);
    if (line.empty() || line.front() == '#') return std::nullopt;
    IgnoreRule rule;
    if (line.front() == '!') {
        rule.negated = true;
        line.remove_prefix(1);
    } else if (line.size() >= 2 && line[0] == '\\' && (line[1] == '#' || line[1] == '!')) {
        line.remove_prefix(1);
    }
    if (!line.empty() && line.back() == '/') {
        rule.dir_only = true;
        line.remove_suffix(1);
    }
    if (line.find('/') != std::string_view::npos) rule.anchored = true;
    while (!line.empty() && line.front() == '/') line.remove_prefix(1);
    if (line.empty()) return std::nullopt;
    rule.pattern = std::string(line);
    return rule;
}

}  // namespace

std::vector<IgnoreRule> parse_gitignore(std::string_view text) {
    std::vector<IgnoreRule> rules;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        if (auto rule = parse_line(text.substr(start, end - start))) rules.push_back(std::move(*rule));
        start = end + 1;
    }
    return rules;
}

void IgnoreStack::push(std::string base, std::vector<IgnoreRule> rules) {
    levels_.push_back({std::move(base), std::move(rules)});
}

void IgnoreStack::pop() { levels_.pop_back(); }

bool IgnoreStack::ignored(std::string_view path, bool is_dir) const {
    const size_t slash = path.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    // Deepest file first, last rule first: the first match decides.
    for (auto level = levels_.rbegin(); level != levels_.rend(); ++level) {
        std::string_view below = path;
        if (!level->base.empty()) {
            if (path.size() <= level->base.size() || path.compare(0, level->base.size(), level->base) != 0 ||
                path[level->base.size()] != '/')
                continue;
            below = path.substr(level->base.size() + 1);
        }
        for (auto rule = level->rules.rbegin(); rule != level->rules.rend(); ++rule) {
            if (rule->dir_only && !is_dir) continue;
            const bool hit = rule->anchored ? glob_match(rule->pattern, below) : glob_match(rule->pattern, name);
            if (hit) return !rule->negated;
        }
    }
    return false;
}

}  // namespace cowork::tools::code
