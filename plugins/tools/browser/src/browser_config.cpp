#include "browser_config.hpp"

#include <cowork/sdk/error.hpp>

#include <algorithm>

namespace cowork::browser {
namespace {

using Json = nlohmann::json;

template <class T>
T get(const Json& c, const char* key, T fallback) {
    if (!c.contains(key) || c[key].is_null()) return fallback;
    try {
        return c[key].get<T>();
    } catch (const Json::exception&) {
        throw sdk::invalid(std::string("tool.browser config: '") + key + "' has the wrong type");
    }
}

}  // namespace

BrowserConfig BrowserConfig::from_json(const Json& c) {
    BrowserConfig b;
    if (!c.is_object()) return b;
    b.chromium_path = get<std::string>(c, "chromium_path", "");
    b.attach_url = get<std::string>(c, "attach_url", "");
    b.allow_remote_attach = get<bool>(c, "allow_remote_attach", false);
    b.allow_private = get<bool>(c, "allow_private", false);
    b.allowed_hosts = get<std::vector<std::string>>(c, "allowed_hosts", {});
    for (auto& h : b.allowed_hosts) std::transform(h.begin(), h.end(), h.begin(), ::tolower);
    b.launch_timeout = std::chrono::milliseconds(std::clamp<int64_t>(get<int64_t>(c, "launch_timeout_ms", 20000), 1000, 120000));
    b.viewport_width = static_cast<int>(std::clamp<int64_t>(get<int64_t>(c, "viewport_width", 1280), 200, 4000));
    b.viewport_height = static_cast<int>(std::clamp<int64_t>(get<int64_t>(c, "viewport_height", 800), 200, 4000));
    b.log_entries = static_cast<size_t>(std::clamp<int64_t>(get<int64_t>(c, "log_entries", 500), 10, 10000));
    return b;
}

}  // namespace cowork::browser
