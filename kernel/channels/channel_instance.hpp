// kernel/channels/channel_instance.hpp — one configured instance of a channel
// plugin (a Telegram bot, a mailbox) and its live status.
#pragma once

#include "core/result.hpp"
#include "storage/clock.hpp"

#include <string>
#include <vector>

namespace cowork::kernel::channels {

// The states of `channel.status` events (docs/channels.md).
inline constexpr const char* kConnected = "connected";
inline constexpr const char* kConnecting = "connecting";
inline constexpr const char* kError = "error";
inline constexpr const char* kDisabled = "disabled";

struct ChannelStatus {
    std::string state = kConnecting;
    std::string detail;
    storage::UnixMillis at = 0;  // when it last changed

    bool same_as(const ChannelStatus& other) const { return state == other.state && detail == other.detail; }
};

struct ChannelInstance {
    std::string id;                       // "ch_…", assigned on create
    std::string plugin;                   // "channel.telegram"
    std::string name;                     // unique, chosen by the user
    bool enabled = true;
    Json config = Json::object();         // validated against the plugin's configSchema
    std::vector<std::string> secret_refs; // names; values live in the secrets service
    storage::UnixMillis created_at = 0;
    storage::UnixMillis updated_at = 0;   // changes with config/name/enabled/secrets, not with status
    ChannelStatus status;
};

// Where the value of secret `name` of channel `id` is stored.
std::string secret_key(const std::string& channel_id, const std::string& name);

// The API shape: {id, plugin, name, enabled, config, secretRefs, createdAt,
// updatedAt, status:{state, detail, at}}. Never holds a secret value.
Json to_json(const ChannelInstance& c);

}  // namespace cowork::kernel::channels
