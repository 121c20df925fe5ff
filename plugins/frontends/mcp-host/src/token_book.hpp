// token_book.hpp — bearer tokens → identities, compared in constant time.
#pragma once

#include "identity.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::mcp {

class TokenBook {
public:
    // Tokens shorter than this are refused when loading: a guessable token
    // on a loopback port is readable by any local web page's fetch.
    static constexpr size_t kMinTokenLength = 24;

    void add(Identity identity, std::string_view token);
    bool empty() const { return entries_.empty(); }
    size_t size() const { return entries_.size(); }

    // The identity whose token equals `token`. Every entry is compared, and
    // each comparison is over fixed-size digests, so timing reveals neither
    // which entry matched nor how much of a token was right.
    std::optional<Identity> find(std::string_view token) const;

private:
    struct Entry {
        Identity identity;
        std::array<unsigned char, 32> digest;
    };
    std::vector<Entry> entries_;
};

}  // namespace cowork::mcp
