#include "storage/ids.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace cowork::kernel::storage {

std::string new_id(const std::string& prefix) {
    // One engine per thread, seeded from the OS: no locking, no shared state.
    thread_local std::mt19937_64 engine{[] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = prefix;
    for (int word = 0; word < 2; ++word) {
        std::uint64_t bits = engine();
        for (int i = 0; i < 16; ++i, bits >>= 4) out.push_back(hex[bits & 0xf]);
    }
    return out;
}

}  // namespace cowork::kernel::storage
