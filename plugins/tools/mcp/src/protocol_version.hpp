// protocol_version.hpp — the MCP revisions this client speaks, newest first.
// initialize offers the first; a server may answer with any of them.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace cowork::mcp {

inline constexpr std::array<std::string_view, 4> kSupportedVersions{"2025-11-25", "2025-06-18", "2025-03-26",
                                                                     "2024-11-05"};
inline constexpr std::string_view kLatestVersion = kSupportedVersions[0];

inline bool supported_version(std::string_view v) {
    for (auto s : kSupportedVersions)
        if (s == v) return true;
    return false;
}

inline std::string supported_versions_text() {
    std::string out;
    for (auto s : kSupportedVersions) out += (out.empty() ? "" : ", ") + std::string(s);
    return out;
}

}  // namespace cowork::mcp
