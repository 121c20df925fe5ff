// kernel/net/base64.hpp — standard base64 (RFC 4648, padded) for binary
// bodies carried in JSON.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cowork::kernel::net {

std::string base64_encode(std::string_view bytes);
// Nothing on malformed input. Whitespace is ignored.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace cowork::kernel::net
