// kernel/plugins/digest.hpp — the few libsodium primitives the verifier needs.
#pragma once

#include "core/result.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::kernel::plugins {

// Calls sodium_init() once; safe from any thread.
void ensure_sodium();

// SHA-256 of a file, streamed (crypto_hash_sha256_*), as 64 lower-case hex.
Result<std::string> sha256_file(const std::filesystem::path& file);

std::string to_hex(const unsigned char* data, size_t size);
std::string to_base64(const unsigned char* data, size_t size);
// Accepts standard base64 with or without padding; whitespace around is ignored.
std::optional<std::vector<unsigned char>> from_base64(std::string_view text);
std::optional<std::vector<unsigned char>> from_hex(std::string_view text);

// Whole file into memory (signatures cover all bytes; plugins are small).
Result<std::vector<unsigned char>> read_file(const std::filesystem::path& file);

}  // namespace cowork::kernel::plugins
