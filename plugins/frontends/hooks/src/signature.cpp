#include "signature.hpp"

#include <sodium.h>

#include <charconv>
#include <cstdlib>
#include <optional>
#include <stdexcept>

namespace cowork::hooks {
namespace {

void ensure_sodium() {
    static const int ready = sodium_init();
    if (ready < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::optional<std::string> from_hex(std::string_view hex) {
    std::string out(hex.size() / 2, '\0');
    size_t len = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(), hex.size(), nullptr, &len,
                       &end) != 0 ||
        end != hex.data() + hex.size())
        return std::nullopt;
    out.resize(len);
    return out;
}

bool digest_equal(std::string_view a, std::string_view b) {
    return a.size() == crypto_auth_hmacsha256_BYTES && b.size() == a.size() &&
           sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Unix seconds within tolerance of now; the reason when not.
std::optional<std::string> stale(std::string_view timestamp, std::chrono::system_clock::time_point now,
                                 std::chrono::seconds tolerance) {
    long long ts = 0;
    const auto [p, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
    if (timestamp.empty() || ec != std::errc() || p != timestamp.data() + timestamp.size())
        return "the signature timestamp is missing or not Unix seconds";
    const long long now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (std::llabs(now_s - ts) > tolerance.count())
        return "the signature timestamp is outside the allowed window of " + std::to_string(tolerance.count()) +
               " s (replayed, or the sender's clock is off)";
    return std::nullopt;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

bool tokens_equal(std::string_view presented, std::string_view expected) {
    ensure_sodium();
    if (expected.empty()) return false;
    unsigned char a[32], b[32];
    crypto_generichash(a, sizeof a, reinterpret_cast<const unsigned char*>(presented.data()), presented.size(), nullptr, 0);
    crypto_generichash(b, sizeof b, reinterpret_cast<const unsigned char*>(expected.data()), expected.size(), nullptr, 0);
    return sodium_memcmp(a, b, sizeof a) == 0;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
    ensure_sodium();
    crypto_auth_hmacsha256_state st;
    unsigned char out[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
    crypto_auth_hmacsha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
    return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string to_hex(std::string_view bytes) {
    std::string out(bytes.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    out.pop_back();
    return out;
}

std::optional<std::string> from_base64(std::string_view text) {
    ensure_sodium();
    std::string out(text.size(), '\0');
    size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(len);
    return out;
}

std::string to_base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.find('\0'));
    return out;
}

Verdict verify_github(std::string_view secret, std::string_view header_value, std::string_view body) {
    constexpr std::string_view prefix = "sha256=";
    if (header_value.empty()) return {false, "the signature header is missing"};
    if (header_value.substr(0, prefix.size()) != prefix) return {false, "the signature must look like sha256=<hex>"};
    const auto given = from_hex(header_value.substr(prefix.size()));
    if (!given) return {false, "the signature must look like sha256=<hex>"};
    if (!digest_equal(hmac_sha256(secret, body), *given)) return {false, "the signature does not match the body"};
    return {true, ""};
}

Verdict verify_svix(std::string_view secret, std::string_view id, std::string_view timestamp,
                    std::string_view signatures, std::string_view body, std::chrono::system_clock::time_point now,
                    std::chrono::seconds tolerance) {
    if (id.empty() || signatures.empty()) return {false, "the svix-id or svix-signature header is missing"};
    if (auto why = stale(timestamp, now, tolerance)) return {false, *why};
    if (secret.substr(0, 6) == "whsec_") secret.remove_prefix(6);
    const auto key = from_base64(secret);
    if (!key || key->empty()) return {false, "the stored Svix secret is not whsec_<base64>; store it again"};
    std::string signed_content;
    signed_content.append(id).append(".").append(timestamp).append(".").append(body);
    const std::string expected = hmac_sha256(*key, signed_content);
    bool match = false;
    // Every listed v1 signature is checked (no early exit on a match).
    while (!signatures.empty()) {
        const size_t sp = signatures.find(' ');
        const std::string_view entry = trim(signatures.substr(0, sp));
        signatures = sp == std::string_view::npos ? std::string_view() : signatures.substr(sp + 1);
        if (entry.substr(0, 3) != "v1,") continue;
        if (auto given = from_base64(entry.substr(3))) match = digest_equal(expected, *given) || match;
    }
    if (!match) return {false, "no v1 signature matches the body"};
    return {true, ""};
}

Verdict verify_plain(std::string_view secret, std::string_view signature, const std::string* timestamp,
                     std::string_view body, std::chrono::system_clock::time_point now, std::chrono::seconds tolerance) {
    if (signature.empty()) return {false, "the signature header is missing"};
    if (signature.substr(0, 7) == "sha256=") signature.remove_prefix(7);
    const auto given = from_hex(signature);
    if (!given) return {false, "the signature must be hex (optionally prefixed sha256=)"};
    std::string message;
    if (timestamp) {
        if (auto why = stale(*timestamp, now, tolerance)) return {false, *why};
        message.append(*timestamp).append(".");
    }
    message.append(body);
    if (!digest_equal(hmac_sha256(secret, message), *given)) return {false, "the signature does not match the body"};
    return {true, ""};
}

Verdict verify(const HmacSettings& s, std::string_view secret, const HeaderFn& header, std::string_view body,
               std::chrono::system_clock::time_point now) {
    switch (s.scheme) {
    case HmacScheme::github: return verify_github(secret, header(s.header), body);
    case HmacScheme::svix: {
        // Standard Webhooks senders use the unbranded "webhook-" names.
        auto either = [&](const std::string& svix_name, const std::string& std_name) {
            const std::string v = header(svix_name);
            return v.empty() ? header(std_name) : v;
        };
        return verify_svix(secret, either("svix-id", "webhook-id"), either(s.timestamp_header, "webhook-timestamp"),
                           either(s.header, "webhook-signature"), body, now, s.tolerance);
    }
    case HmacScheme::plain: {
        const std::string ts = s.timestamp_header.empty() ? std::string() : header(s.timestamp_header);
        if (!s.timestamp_header.empty() && ts.empty()) return {false, "the " + s.timestamp_header + " header is missing"};
        return verify_plain(secret, header(s.header), s.timestamp_header.empty() ? nullptr : &ts, body, now, s.tolerance);
    }
    }
    return {false, "unknown signature scheme"};
}

}  // namespace cowork::hooks
