#include "stream_origin.hpp"

#include "json_rpc.hpp"

namespace cowork::mcp {
namespace {

thread_local std::optional<nlohmann::json> t_origin;

}  // namespace

StreamOrigin::StreamOrigin(const nlohmann::json& outgoing) : previous_(t_origin) {
    if (is_request(outgoing)) t_origin = outgoing["id"];
    else t_origin.reset();
}

StreamOrigin::~StreamOrigin() { t_origin = previous_; }

std::optional<nlohmann::json> StreamOrigin::current() { return t_origin; }

}  // namespace cowork::mcp
