// tool_names.hpp — MCP tool names → the names this plugin lists.
//
// The kernel ids a tool "<plugin id>.<listed name>"; we list
// "<server>.<tool>", so ids read "tool.mcp.<server>.<tool>". Server names
// are validated (no dots) and unique, so ids of two servers never collide.
// Within a server, characters that some LLM provider refuses (anything but
// A-Z a-z 0-9 _ -) become '_' and long names are shortened with a hash;
// if two tool names of one server still meet, the later one gets a hash too.
#pragma once

#include <map>
#include <string>

namespace cowork::mcp {

class ToolNames {
public:
    // The listed tool part for an MCP tool name (stable for the same input set order).
    std::string add(const std::string& mcp_name);
    // The listed part already assigned to an MCP name, or "" if none.
    std::string listed_name(const std::string& mcp_name) const;
    // The MCP name behind a listed tool part, or "" if unknown.
    std::string mcp_name(const std::string& listed) const;
    void clear();

private:
    std::map<std::string, std::string> listed_to_mcp_;
    std::map<std::string, std::string> mcp_to_listed_;
};

// FNV-1a, 8 hex digits.
std::string short_hash(const std::string& text);

}  // namespace cowork::mcp
