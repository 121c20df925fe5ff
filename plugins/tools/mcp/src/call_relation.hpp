// call_relation.hpp — which running tool call a server's own request
// (elicitation/create, sampling/createMessage) belongs to, so the question
// reaches whoever started that call. The rule, in order:
//   1. Streamable HTTP: the request arrived on the SSE stream answering one
//      of our requests → that request's call.
//   2. Exactly one call in flight on this connection → that one.
//   3. Several: the spec's only wire-level relation hint is
//      `io.modelcontextprotocol/related-task` (for task-augmented requests,
//      which this client never makes), so nothing tells them apart → the
//      most recently started call.
//   4. None in flight → no call (the server gets an error).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace cowork::mcp {

// `in_flight`: our request id → the call it serves (ids grow, so the last is
// the most recent). `arrived_on`: the id of the request whose answer stream
// carried the server's request, if known. Returns the chosen request id.
std::optional<int64_t> relate_server_request(const std::map<int64_t, std::string>& in_flight,
                                             const std::optional<nlohmann::json>& arrived_on);

}  // namespace cowork::mcp
