// kernel/bus/event.cpp
#include "bus/event.hpp"

namespace cowork::kernel::bus {

std::string Event::payload_text() const {
    if (const auto* text = std::get_if<std::string>(&payload)) return *text;
    return std::get<Json>(payload).dump();
}

size_t payload_size(const Payload& payload) {
    if (const auto* text = std::get_if<std::string>(&payload)) return text->size();
    return std::get<Json>(payload).dump().size();
}

}  // namespace cowork::kernel::bus
