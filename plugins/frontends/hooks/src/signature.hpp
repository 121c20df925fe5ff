// signature.hpp — constant-time secret checks: bearer tokens and the HMAC
// signatures webhook senders put on their requests (GitHub, Svix, plain).
#pragma once

#include "hooks_config.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cowork::hooks {

// Equal without leaking where they differ or (hashing both first) how long
// the expected one is. An empty expected value never matches.
bool tokens_equal(std::string_view presented, std::string_view expected);

// Raw 32-byte HMAC-SHA256.
std::string hmac_sha256(std::string_view key, std::string_view message);
std::string to_hex(std::string_view bytes);
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);  // standard alphabet, padded

struct Verdict {
    bool ok = false;
    std::string why;  // for the 401 body: what was wrong, never a secret
};

// Reads a request header by lower-case name ("" when absent).
using HeaderFn = std::function<std::string(const std::string& name)>;

// GitHub: "<header>: sha256=<hex HMAC-SHA256(secret, body)>".
Verdict verify_github(std::string_view secret, std::string_view header_value, std::string_view body);

// Svix / Standard Webhooks: signature header "v1,<base64>" (space-separated
// list; one match suffices) over "<id>.<timestamp>.<body>", key = base64 of
// the secret after "whsec_"; the timestamp (Unix seconds) must be within
// `tolerance` of `now`.
Verdict verify_svix(std::string_view secret, std::string_view id, std::string_view timestamp,
                    std::string_view signatures, std::string_view body, std::chrono::system_clock::time_point now,
                    std::chrono::seconds tolerance);

// plain: "<header>: [sha256=]<hex HMAC-SHA256(secret, body)>"; with a
// timestamp header, over "<timestamp>.<body>" and the timestamp is checked.
Verdict verify_plain(std::string_view secret, std::string_view signature, const std::string* timestamp,
                     std::string_view body, std::chrono::system_clock::time_point now, std::chrono::seconds tolerance);

// Dispatches on the mapping's scheme.
Verdict verify(const HmacSettings& s, std::string_view secret, const HeaderFn& header, std::string_view body,
               std::chrono::system_clock::time_point now);

}  // namespace cowork::hooks
