// cowork/sdk/llm/tool_names.hpp — CoWork tool ids ↔ names a provider accepts.
//
// CoWork ids are namespaced ("tool.files.read_file", "mcp.github.create_issue")
// and may be long; OpenAI-style APIs accept only ^[a-zA-Z0-9_-]{1,64}$.
// A ToolNameMap is built per request from the tools sent: each id gets a
// readable provider name ('.' → '_', other bad characters → '_', shortened
// with a hash suffix when too long, de-duplicated), and every tool call the
// provider returns is mapped back through the same table — so the mapping is
// exact even when two ids sanitize to the same text.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cowork::sdk::llm {

class ToolNameMap {
public:
    explicit ToolNameMap(size_t max_length = 64) : max_length_(max_length) {}

    ToolNameMap(const std::vector<std::string>& ids, size_t max_length = 64) : max_length_(max_length) {
        for (const auto& id : ids) add(id);
    }

    // The provider-side name for `id` (adds it if new).
    const std::string& add(const std::string& id) {
        if (auto it = to_provider_.find(id); it != to_provider_.end()) return it->second;
        std::string name = sanitize(id);
        for (int n = 2; to_id_.count(name); ++n) name = shorten(sanitize(id), "_" + std::to_string(n));
        to_id_[name] = id;
        return to_provider_[id] = name;
    }

    std::optional<std::string> provider_name(const std::string& id) const {
        auto it = to_provider_.find(id);
        if (it == to_provider_.end()) return std::nullopt;
        return it->second;
    }

    // The CoWork id for a name the provider sent back; nullopt for a name we
    // never offered (the model made it up: report it as an unknown tool).
    std::optional<std::string> id(const std::string& provider_name) const {
        auto it = to_id_.find(provider_name);
        if (it == to_id_.end()) return std::nullopt;
        return it->second;
    }

private:
    static bool allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    // FNV-1a, enough to keep shortened names distinct and stable.
    static std::string hash_suffix(const std::string& s) {
        uint32_t h = 2166136261u;
        for (unsigned char c : s) h = (h ^ c) * 16777619u;
        static const char* hex = "0123456789abcdef";
        std::string out = "_";
        for (int i = 7; i >= 0; --i) out.push_back(hex[(h >> (i * 4)) & 0xF]);
        return out;
    }

    std::string shorten(std::string name, const std::string& suffix) const {
        if (name.size() + suffix.size() > max_length_) name.resize(max_length_ - suffix.size());
        return name + suffix;
    }

    std::string sanitize(const std::string& id) const {
        std::string name;
        for (char c : id) name.push_back(allowed(c) ? c : '_');
        if (name.empty()) name = "tool";
        if (name.size() > max_length_) name = shorten(name, hash_suffix(id));
        return name;
    }

    size_t max_length_;
    std::map<std::string, std::string> to_provider_;
    std::map<std::string, std::string> to_id_;
};

}  // namespace cowork::sdk::llm
