// dispatcher.hpp — the MCP method table. One message in, at most one
// response out; transports (HTTP, stdio) only move bytes and sessions.
#pragma once

#include "jsonrpc.hpp"
#include "prompt_catalog.hpp"
#include "resource_catalog.hpp"
#include "session.hpp"
#include "tool_catalog.hpp"

#include <functional>
#include <optional>
#include <string>

namespace cowork::mcp {

// Messages that belong to one request (progress, log) and must reach the
// client before its response: the POST's SSE stream, or stdout.
using Related = std::function<void(const Json& message)>;

struct Catalogs {
    const ToolCatalog& tools;
    const ResourceCatalog& resources;
    const PromptCatalog& prompts;
};

class Dispatcher {
public:
    Dispatcher(Catalogs catalogs, size_t page_size, std::string version)
        : catalogs_(catalogs), page_size_(page_size), version_(std::move(version)) {}

    // [worker] A request → its response; a notification or a response → nullopt;
    // a request cancelled by the client while it ran → nullopt (the spec says
    // not to answer it). Never throws.
    std::optional<Json> handle(Session& session, const Message& message, const Related& related) const;

    Json initialize_result(const std::string& version) const;

private:
    Json call(Session& session, const Message& m, const Related& related) const;
    Json call_tool(Session& session, const Message& m, const Related& related) const;
    void ask_client(Session& session, const Identity& who, const std::string& call_id, const Json& question,
                    const Related& related) const;
    Json complete(Session& session, const Json& params) const;
    void notify(Session& session, const Message& m) const;

    Catalogs catalogs_;
    size_t page_size_;
    std::string version_;
};

// The string value of params[key]; RpcError(kInvalidParams) naming the key otherwise.
std::string required_string(const Json& params, const char* key);

}  // namespace cowork::mcp
