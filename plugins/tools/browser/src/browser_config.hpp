// browser_config.hpp — the plugin's [plugins."tool.browser"] table, typed.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace cowork::browser {

struct BrowserConfig {
    std::string chromium_path;             // empty: look in the usual Debian places
    std::string attach_url;                // ws:// or http:// of a running browser; empty: launch
    bool allow_remote_attach = false;      // attach_url may name a host other than 127.0.0.1
    bool allow_private = false;            // pages may live on loopback/private networks
    std::vector<std::string> allowed_hosts;  // hosts let through whatever they resolve to
    std::chrono::milliseconds launch_timeout{20000};
    int viewport_width = 1280;
    int viewport_height = 800;
    size_t log_entries = 500;              // ring size for console and network logs, per tab

    // Throws sdk::invalid naming the key when a value has the wrong type.
    static BrowserConfig from_json(const nlohmann::json& config);
};

}  // namespace cowork::browser
