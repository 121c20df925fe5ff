// blocklist.hpp — command patterns refused before anything is spawned.
//
// Defence in depth only: the kernel's policy engine checks commands too, and
// a regex over shell text is easy to evade (quoting, variables, base64). The
// sandbox is the real boundary; this catches the obvious disasters early and
// with a clear message.
#pragma once

#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace cowork::shell {

struct BlockedPattern {
    std::string name;    // shown to the user: "recursive delete of / or ~"
    std::string source;  // the regex text
    std::regex regex;
};

class Blocklist {
public:
    // Built-in patterns plus the config's `blocked_commands` (ECMAScript
    // regexes, case-insensitive). A bad user regex throws sdk::invalid.
    explicit Blocklist(const std::vector<std::string>& extra_patterns = {});

    // The first pattern the command matches, if any.
    std::optional<BlockedPattern> match(const std::string& command) const;

    std::size_t size() const noexcept { return patterns_.size(); }

private:
    std::vector<BlockedPattern> patterns_;
};

}  // namespace cowork::shell
