// kernel/channels/channel_table.hpp — calls into one plugin's
// cowork.channel/1 table, JSON in and out, keeping the status code so a
// caller can tell a permanent refusal from a transient failure.
#pragma once

#include "core/result.hpp"

#include <cowork/abi.h>

#include <string>

namespace cowork::kernel::channels {

// Error codes of failed plugin calls (details: {"status": "<cowork status>",
// "permanent": bool}).
inline constexpr const char* kUnsupported = "channel.unsupported";

class ChannelTable {
public:
    ChannelTable(std::string plugin_id, const cowork_channel_v1* table) : plugin_(std::move(plugin_id)), t_(table) {}

    // Tables without open/close (or whose open answers unsupported) serve one instance.
    bool has_instances() const;

    // [worker] Each returns the plugin's result or an Error whose message
    // is the plugin's own (redacted), prefixed with the plugin id.
    Result<Json> send(const Json& in) const;
    Result<Json> status(const Json& in) const;
    Result<Json> test(const Json& in) const;
    Result<Json> open(const Json& in) const;   // kUnsupported when the table has no such slot
    Result<Json> close(const Json& in) const;  // kUnsupported likewise

private:
    Result<Json> call(cowork_json_fn fn, const char* what, const Json& in) const;

    std::string plugin_;
    const cowork_channel_v1* t_;
};

// A send error a retry cannot fix: the plugin said invalid / not_found / denied.
bool is_permanent(cowork_status status);

}  // namespace cowork::kernel::channels
