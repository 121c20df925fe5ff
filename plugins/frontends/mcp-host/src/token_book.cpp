#include "token_book.hpp"

#include <sodium.h>

namespace cowork::mcp {
namespace {

std::array<unsigned char, 32> digest_of(std::string_view token) {
    std::array<unsigned char, 32> d{};
    crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                       nullptr, 0);
    return d;
}

}  // namespace

void TokenBook::add(Identity identity, std::string_view token) {
    entries_.push_back({std::move(identity), digest_of(token)});
}

std::optional<Identity> TokenBook::find(std::string_view token) const {
    const auto probe = digest_of(token);
    std::optional<Identity> found;
    for (const auto& e : entries_)
        if (sodium_memcmp(e.digest.data(), probe.data(), probe.size()) == 0 && !found) found = e.identity;
    return found;
}

}  // namespace cowork::mcp
