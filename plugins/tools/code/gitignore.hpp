// gitignore.hpp — .gitignore semantics for tree walks (glob, grep).
//
// Supported, as git does it: blank lines and '#' comments; '\#' and '\!'
// escapes; trailing spaces trimmed unless escaped; '!' negation (last
// matching rule wins, deeper files override shallower ones); a trailing '/'
// matches directories only; a pattern with a '/' at the start or middle is
// anchored to the .gitignore's directory, otherwise it matches the name at
// any depth; '**' segments. As in git, a file inside an ignored directory
// cannot be re-included: the walk never enters that directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cowork::tools::code {

struct IgnoreRule {
    std::string pattern;  // without '!', leading '/' and trailing '/'
    bool negated = false;
    bool dir_only = false;
    bool anchored = false;
};

// Parses the text of one .gitignore file.
std::vector<IgnoreRule> parse_gitignore(std::string_view text);

// The .gitignore files in effect at one point of a walk, root first.
class IgnoreStack {
public:
    // `base` is the directory holding the file, relative to the walk's root
    // ("" for the root itself).
    void push(std::string base, std::vector<IgnoreRule> rules);
    void pop();
    size_t depth() const noexcept { return levels_.size(); }

    // `path` is relative to the walk's root.
    bool ignored(std::string_view path, bool is_dir) const;

private:
    struct Level {
        std::string base;
        std::vector<IgnoreRule> rules;
    };
    std::vector<Level> levels_;
};

}  // namespace cowork::tools::code
