#include "channels/channel_instance.hpp"

namespace cowork::kernel::channels {

std::string secret_key(const std::string& channel_id, const std::string& name) {
    return "channel." + channel_id + "." + name;
}

Json to_json(const ChannelInstance& c) {
    return {{"id", c.id},
            {"plugin", c.plugin},
            {"name", c.name},
            {"enabled", c.enabled},
            {"config", c.config},
            {"secretRefs", c.secret_refs},
            {"createdAt", c.created_at},
            {"updatedAt", c.updated_at},
            {"status", {{"state", c.status.state}, {"detail", c.status.detail}, {"at", c.status.at}}}};
}

}  // namespace cowork::kernel::channels
