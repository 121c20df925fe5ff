// operator_token.hpp — the root credential that pairs the first device.
// 32 random bytes, base64url, in <plugin data dir>/operator-token (0600),
// created once with O_EXCL so two starts never disagree about it.
#pragma once

#include <filesystem>
#include <string>

namespace cowork::cp {

std::string load_or_create_token(const std::filesystem::path& file);

}  // namespace cowork::cp
