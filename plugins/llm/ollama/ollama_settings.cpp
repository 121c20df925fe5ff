#include "ollama_settings.hpp"

#include <provider_settings.hpp>

namespace cowork::ollama {

std::string normalize_base(std::string value) {
    while (!value.empty() && (value.back() == '/' || value.back() == ' ')) value.pop_back();
    while (!value.empty() && value.front() == ' ') value.erase(value.begin());
    if (value.empty()) return kDefaultBase;
    std::string scheme = "http";
    if (const auto p = value.find("://"); p != std::string::npos) {
        scheme = value.substr(0, p);
        value = value.substr(p + 3);
    }
    std::string host = value, port, path;
    if (const auto slash = host.find('/'); slash != std::string::npos) {
        path = host.substr(slash);
        host = host.substr(0, slash);
    }
    // "[::1]:11434" keeps its brackets; only a colon after them is a port.
    const auto colon = host.rfind(':');
    if (colon != std::string::npos && host.find(']', colon) == std::string::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
    }
    if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
    if (host == "[::]") host = "[::1]";
    if (port.empty()) port = scheme == "https" ? "443" : "11434";
    return scheme + "://" + host + ":" + port + path;
}

std::string resolve_base(const std::string& configured, const std::optional<std::string>& env_ollama_host) {
    llm_common::Lookups env;
    env.env = [&](const std::string&) { return env_ollama_host; };
    return normalize_base(llm_common::resolve_base_url(nlohmann::json{{"base_url", configured}}, env, {"OLLAMA_HOST"}, kDefaultBase));
}

}  // namespace cowork::ollama
