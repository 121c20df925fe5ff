#include "tool_names.hpp"

#include <cstdint>

namespace cowork::mcp {
namespace {

// Room left for "<server>." and the provider's 64-character limit is the
// kernel's ToolNameMap's job; we keep the tool part itself reasonable.
constexpr size_t kMaxToolPart = 48;

bool allowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

}  // namespace

std::string short_hash(const std::string& text) {
    uint32_t h = 2166136261u;
    for (unsigned char c : text) h = (h ^ c) * 16777619u;
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 7; i >= 0; --i) out.push_back(hex[(h >> (i * 4)) & 0xF]);
    return out;
}

std::string ToolNames::add(const std::string& mcp_name) {
    if (auto it = mcp_to_listed_.find(mcp_name); it != mcp_to_listed_.end()) return it->second;
    std::string listed;
    for (char c : mcp_name) listed.push_back(allowed(c) ? c : '_');
    if (listed.empty()) listed = "tool";
    if (listed.size() > kMaxToolPart) listed = listed.substr(0, kMaxToolPart - 9) + "_" + short_hash(mcp_name);
    if (listed_to_mcp_.count(listed)) listed = listed.substr(0, kMaxToolPart - 9) + "_" + short_hash(mcp_name);
    listed_to_mcp_[listed] = mcp_name;
    mcp_to_listed_[mcp_name] = listed;
    return listed;
}

std::string ToolNames::mcp_name(const std::string& listed) const {
    auto it = listed_to_mcp_.find(listed);
    return it == listed_to_mcp_.end() ? std::string() : it->second;
}

std::string ToolNames::listed_name(const std::string& mcp_name) const {
    auto it = mcp_to_listed_.find(mcp_name);
    return it == mcp_to_listed_.end() ? std::string() : it->second;
}

void ToolNames::clear() {
    listed_to_mcp_.clear();
    mcp_to_listed_.clear();
}

}  // namespace cowork::mcp
