// kernel/process/interface_slots.hpp — the slot names of the interfaces the
// relay knows, in table order.
//
// Every interface table in abi.h is {struct_size, self, cowork_json_fn…}, so a
// table can be relayed generically by (interface id, slot index). Names are
// for people (logs, PROTOCOL.md); the wire carries the index. An id not
// listed here is still relayed: its slot count comes from its struct_size.
#pragma once

#include <cowork/abi.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cowork::kernel::process {

// The common layout; static_asserts below pin it to abi.h.
inline constexpr size_t kMaxSlots = 16;
struct GenericInterfaceTable {
    uint32_t struct_size;
    void* self;
    cowork_json_fn slots[kMaxSlots];
};
static_assert(offsetof(GenericInterfaceTable, self) == offsetof(cowork_tool_provider_v1, self));
static_assert(offsetof(GenericInterfaceTable, slots) == offsetof(cowork_tool_provider_v1, list_tools));
static_assert(offsetof(GenericInterfaceTable, slots) + 3 * sizeof(cowork_json_fn) == sizeof(cowork_tool_provider_v1));
static_assert(offsetof(GenericInterfaceTable, slots) + 1 * sizeof(cowork_json_fn) == sizeof(cowork_frontend_v1));
static_assert(offsetof(GenericInterfaceTable, slots) + 3 * sizeof(cowork_json_fn) == sizeof(cowork_memory_v1));

inline constexpr size_t kSlotsOffset = offsetof(GenericInterfaceTable, slots);

// Slot names for a known interface id; empty for an unknown one.
inline std::vector<std::string_view> known_slot_names(std::string_view iface) {
    if (iface == COWORK_IFACE_TOOL_PROVIDER) return {"list_tools", "call_tool", "cancel"};
    if (iface == COWORK_IFACE_LLM) return {"list_models", "complete", "cancel"};
    if (iface == COWORK_IFACE_CHANNEL) return {"send", "status", "test", "open", "close"};
    if (iface == COWORK_IFACE_MEMORY) return {"remember", "recall", "forget"};
    if (iface == COWORK_IFACE_FRONTEND) return {"describe"};
    return {};
}

// How many slots a table with this struct_size holds (capped at kMaxSlots).
inline size_t slots_in(uint32_t struct_size) {
    if (struct_size <= kSlotsOffset) return 0;
    const size_t n = (struct_size - kSlotsOffset) / sizeof(cowork_json_fn);
    return n < kMaxSlots ? n : kMaxSlots;
}

}  // namespace cowork::kernel::process
