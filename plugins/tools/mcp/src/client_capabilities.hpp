// client_capabilities.hpp — what `initialize` declares the client can do.
// With someone to answer server requests: elicitation (form mode) and
// sampling. Without, nothing, so a well-behaved server never asks.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace cowork::mcp {

inline nlohmann::json client_capabilities(std::string_view protocol_version, bool answers_server_requests) {
    nlohmann::json caps = nlohmann::json::object();
    if (!answers_server_requests) return caps;
    // 2025-11-25 split elicitation into modes ("form", "url"); earlier revisions
    // declare it as {} (which 2025-11-25 also reads as "form only"). Dates
    // compare as strings. URL mode is not offered: there is no browser to open.
    caps["elicitation"] = protocol_version >= std::string_view("2025-11-25")
                              ? nlohmann::json{{"form", nlohmann::json::object()}}
                              : nlohmann::json::object();
    caps["sampling"] = nlohmann::json::object();
    return caps;
}

}  // namespace cowork::mcp
