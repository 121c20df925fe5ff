#include "call_relation.hpp"

namespace cowork::mcp {

std::optional<int64_t> relate_server_request(const std::map<int64_t, std::string>& in_flight,
                                             const std::optional<nlohmann::json>& arrived_on) {
    if (arrived_on && arrived_on->is_number_integer() && in_flight.count(arrived_on->get<int64_t>()))
        return arrived_on->get<int64_t>();
    if (in_flight.empty()) return std::nullopt;
    return in_flight.rbegin()->first;  // one call: it; several: the most recent
}

}  // namespace cowork::mcp
