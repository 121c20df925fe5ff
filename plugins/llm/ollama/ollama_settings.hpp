// ollama_settings.hpp — where Ollama listens: config `base_url`, else the
// OLLAMA_HOST environment variable (as the ollama CLI reads it), else
// http://127.0.0.1:11434.
#pragma once

#include <optional>
#include <string>

namespace cowork::ollama {

inline constexpr const char* kDefaultBase = "http://127.0.0.1:11434";

// OLLAMA_HOST may be "host", "host:port", "0.0.0.0" (a bind address, so this
// machine) or a full URL; the result is "scheme://host:port" without '/'.
std::string normalize_base(std::string value);

std::string resolve_base(const std::string& configured, const std::optional<std::string>& env_ollama_host);

}  // namespace cowork::ollama
