// kernel/plugins/semver.hpp — semantic versions (semver 2.0) and npm-style ranges.
#pragma once

#include "core/result.hpp"

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::kernel::plugins {

struct Version {
    uint64_t major = 0;
    uint64_t minor = 0;
    uint64_t patch = 0;
    std::vector<std::string> prerelease;  // "1.0.0-rc.1" → {"rc", "1"}
    std::string build;                    // ignored when comparing

    // Strict "MAJOR.MINOR.PATCH[-pre][+build]"; nullopt otherwise.
    static std::optional<Version> parse(std::string_view text);
    std::string to_string() const;

    // Semver precedence: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-beta < 1.0.0.
    friend std::strong_ordering operator<=>(const Version& a, const Version& b);
    friend bool operator==(const Version& a, const Version& b) { return (a <=> b) == 0; }
    bool same_release(const Version& o) const { return major == o.major && minor == o.minor && patch == o.patch; }
};

// A set of versions: "1.2.3", "=1.2.3", ">=1.2.0 <2.0.0", "^1.2", "~1.2.3",
// "1.x", "1.2.*", "*", "1.0.0 - 2.0.0", and alternatives joined by "||".
// As in npm, a prerelease version only matches when some comparator in the
// same alternative names a prerelease of that exact MAJOR.MINOR.PATCH, so
// "^1.0.0" does not pull in "2.0.0-beta" or "1.5.0-rc.1".
class VersionRange {
public:
    static Result<VersionRange> parse(std::string_view text);
    bool contains(const Version& v) const;
    const std::string& text() const noexcept { return text_; }

    enum class Op { Eq, Lt, Le, Gt, Ge };
    struct Comparator {
        Op op;
        Version version;
        bool matches(const Version& v) const;
    };

private:
    std::string text_;
    std::vector<std::vector<Comparator>> alternatives_;  // OR of ANDs
};

}  // namespace cowork::kernel::plugins
