// crypto.hpp — libsodium helpers: base64url, random tokens, Ed25519 checks.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::cp {

std::string b64url(const unsigned char* data, size_t size);
std::optional<std::string> b64url_decode(std::string_view text);
std::string random_b64url(size_t bytes);

// The exact bytes a device signs: "cowork-connect-v1\n<nonce>\n<ts>\n<role>\n<scopes joined by ,>".
std::string signed_string(const std::string& nonce, long long ts, const std::string& role,
                          const std::vector<std::string>& scopes);

// public_key and signature are base64url (raw 32 and 64 bytes).
bool verify_ed25519(const std::string& public_key_b64, const std::string& signature_b64, std::string_view message);

// A stable, short id for a public key: "d" + 20 hex chars of BLAKE2b(pk).
std::optional<std::string> device_id_for(const std::string& public_key_b64);

// Compares secrets without leaking how many leading bytes matched.
bool equal_secret(std::string_view a, std::string_view b);

// True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z.
bool is_loopback(const std::string& address);

}  // namespace cowork::cp
