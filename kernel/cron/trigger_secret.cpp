// kernel/cron/trigger_secret.cpp
#include "cron/trigger_secret.hpp"

#include <sodium.h>

#include <array>

namespace cowork::kernel::cron {
namespace {

std::array<unsigned char, crypto_generichash_BYTES> digest(std::string_view text) {
    std::array<unsigned char, crypto_generichash_BYTES> out{};
    crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       nullptr, 0);
    return out;
}

}  // namespace

bool secrets_equal(std::string_view given, std::string_view expected) {
    if (sodium_init() < 0) return false;
    const auto a = digest(given);
    const auto b = digest(expected);
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cowork::kernel::cron
