#include "plugins/digest.hpp"

#include <openssl/evp.h>
#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>

namespace cowork::kernel::plugins {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

}  // namespace

void ensure_sodium() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    });
}

// OpenSSL's SHA-256 uses the CPU's SHA extensions where present (several
// times libsodium's portable code): hashing every plugin library is on the
// kernel's start-up path.
Result<std::string> sha256_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error("io", "cannot read " + file.string() + ": " + std::strerror(errno));
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        return make_error("internal", "SHA-256 is unavailable in OpenSSL");
    std::vector<char> buffer(256 * 1024);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = in.gcount();
        if (got > 0) EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<size_t>(got));
    }
    if (in.bad()) return make_error("io", "read error in " + file.string());
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &size);
    return to_hex(digest, size);
}

std::string to_hex(const unsigned char* data, size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data, size);
    out.pop_back();
    return out;
}

std::string to_base64(const unsigned char* data, size_t size) {
    const int variant = sodium_base64_VARIANT_ORIGINAL;
    std::string out(sodium_base64_ENCODED_LEN(size, variant), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, variant);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::vector<unsigned char>> from_base64(std::string_view text) {
    ensure_sodium();
    text = trim(text);
    std::vector<unsigned char> out(text.size());
    size_t len = 0;
    const char* end = nullptr;
    for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING}) {
        if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end, variant) == 0 &&
            end == text.data() + text.size()) {
            out.resize(len);
            return out;
        }
    }
    return std::nullopt;
}

std::optional<std::vector<unsigned char>> from_hex(std::string_view text) {
    text = trim(text);
    std::vector<unsigned char> out(text.size() / 2 + 1);
    size_t len = 0;
    const char* end = nullptr;
    if (sodium_hex2bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(len);
    return out;
}

Result<std::vector<unsigned char>> read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error("io", "cannot read " + file.string() + ": " + std::strerror(errno));
    std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) return make_error("io", "read error in " + file.string());
    return bytes;
}

}  // namespace cowork::kernel::plugins
