#include "blocklist.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::shell {

namespace {

struct Builtin {
    const char* name;
    const char* regex;
};

// A command word starts the text or follows a separator / sudo.
#define CMD_START R"((?:^|[;&|(`]\s*|\$\(\s*|\bsudo\s+|\bexec\s+))"
// A flag group containing r/R (recursive): -rf, -fr, -Rf, -r, --recursive.
#define RECURSIVE R"((?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive))"
#define FLAGS R"((?:\s+-{1,2}[a-zA-Z-]*)*)"

const Builtin kBuiltins[] = {
    {"recursive delete of /, /* or ~",
     CMD_START R"(rm)" FLAGS R"(\s+)" RECURSIVE FLAGS R"(\s+(?:/|/\*|~|~/|~/\*|\$HOME|\$\{HOME\})/?(?:\s|$|[;&|]))"},
    {"filesystem creation (mkfs)", CMD_START R"(mkfs(?:\.[a-z0-9]+)?\b)"},
    {"dd writing to a device", R"(\bdd\b[^;&|]*\bof=/dev/)"},
    {"redirect onto a block device", R"(>\s*/dev/(?:sd|hd|vd|xvd|nvme|mmcblk|dm-|md)[a-z0-9]*)"},
    {"fork bomb", R"(([A-Za-z_:][A-Za-z0-9_:]*)\s*\(\)\s*\{\s*\1\s*\|\s*\1\s*&)"},
    {"download piped to a shell", R"(\b(?:curl|wget|fetch)\b[^;&]*\|\s*(?:sudo\s+)?(?:env\s+)?(?:ba|da|z|k|c|tc|fi)?sh\b)"},
    {"shutdown / reboot", CMD_START R"((?:shutdown|reboot|halt|poweroff)\b)"},
    {"shutdown / reboot via systemctl or init",
     CMD_START R"((?:systemctl\s+(?:poweroff|reboot|halt|kexec)|init\s+[06])\b)"},
    {"recursive chmod/chown of /", CMD_START R"((?:chmod|chown|chgrp))" FLAGS R"(\s+)" RECURSIVE
                                             R"((?:\s+\S+)?\s+/(?:\*)?(?:\s|$|[;&|]))"},
    {"move of / or /*", CMD_START R"(mv\s+(?:-\S+\s+)*/\*?\s)"},
};

#undef CMD_START
#undef RECURSIVE
#undef FLAGS

constexpr auto kFlags = std::regex::ECMAScript | std::regex::icase;

}  // namespace

Blocklist::Blocklist(const std::vector<std::string>& extra_patterns) {
    for (const auto& b : kBuiltins) patterns_.push_back({b.name, b.regex, std::regex(b.regex, kFlags)});
    for (const auto& source : extra_patterns) {
        try {
            patterns_.push_back({"configured pattern", source, std::regex(source, kFlags)});
        } catch (const std::regex_error& e) {
            throw sdk::invalid("blocked_commands: bad regex '" + source + "': " + e.what());
        }
    }
}

std::optional<BlockedPattern> Blocklist::match(const std::string& command) const {
    for (const auto& p : patterns_)
        if (std::regex_search(command, p.regex)) return p;
    return std::nullopt;
}

}  // namespace cowork::shell
