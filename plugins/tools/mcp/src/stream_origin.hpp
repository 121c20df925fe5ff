// stream_origin.hpp — which of our requests a server message rode in on.
// Over Streamable HTTP the server may send its own requests (elicitation,
// sampling) on the SSE stream answering one of our POSTs; the spec ties such
// a request to that POST's request. The transport marks, for the thread
// reading that stream, the id of the request it POSTed; the client reads the
// mark while it handles a message delivered on the same thread.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>

namespace cowork::mcp {

class StreamOrigin {
public:
    // Marks this thread as reading the answer stream of `outgoing` (when it is
    // a request); restores the previous mark on destruction.
    explicit StreamOrigin(const nlohmann::json& outgoing);
    ~StreamOrigin();
    StreamOrigin(const StreamOrigin&) = delete;
    StreamOrigin& operator=(const StreamOrigin&) = delete;

    // The id of the request whose answer stream this thread is reading, if any.
    static std::optional<nlohmann::json> current();

private:
    std::optional<nlohmann::json> previous_;
};

}  // namespace cowork::mcp
