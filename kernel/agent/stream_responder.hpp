// kernel/agent/stream_responder.hpp — questions of a running tool put to the
// API client that called `tool.call` and listens to its events.
//
// The question goes out as an event {"type":"request","requestId","kind",
// "params"} on the tool.call's own event stream; the client answers with
// `tool.respond`. Only kinds the client said it can answer go out — the MCP
// host, for instance, says so from its own client's capabilities.
#pragma once

#include "agent/running_calls.hpp"

#include <condition_variable>
#include <optional>
#include <set>

namespace cowork::kernel::agent {

class StreamResponder final : public Responder {
public:
    using EmitFn = std::function<void(const Json& event)>;

    StreamResponder(EmitFn emit, std::set<std::string> kinds, std::string who)
        : emit_(std::move(emit)), kinds_(std::move(kinds)), who_(std::move(who)) {}

    Result<Json> ask(const ToolQuestion& question, const std::atomic<bool>& cancelled) override;
    Status deliver(const std::string& request_id, Result<Json> answer) override;

    // At most this many questions of one call wait at once.
    static constexpr size_t kMaxOpen = 8;

private:
    EmitFn emit_;
    const std::set<std::string> kinds_;
    const std::string who_;
    std::mutex mutex_;
    std::condition_variable cv_;
    uint64_t next_ = 0;
    std::map<std::string, std::optional<Result<Json>>> open_;
};

}  // namespace cowork::kernel::agent
