#include "remote/cli_session.hpp"

#include "remote/device_key.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace cowork::kernel::remote {
namespace {

// The operator token, only from a file that is ours and private: a token
// file others can write could be a planted one.
Result<std::string> read_operator_token(const std::filesystem::path& file) {
    struct stat st {};
    std::ifstream in(file);
    std::string token;
    if (::stat(file.c_str(), &st) != 0 || !in || !std::getline(in, token) || token.empty())
        return make_error("permission", "cannot read the operator token " + file.string() +
                                            " to pair this CLI with coworkd; run cowork as the user running coworkd, "
                                            "or use --local");
    if (st.st_uid != ::getuid() || (st.st_mode & (S_IRWXG | S_IRWXO)))
        return make_error("permission", file.string() + " is not private to you (owner " + std::to_string(st.st_uid) +
                                            ", mode " + std::to_string(st.st_mode & 0777) +
                                            "); refusing to use it. Fix it with chmod 600 and restart coworkd");
    return token;
}

std::string device_name() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return std::string("cowork CLI@") + (host[0] ? host : "localhost");
}

// First use: a new key, paired over this (still unauthenticated) connection.
Result<DeviceKey> pair(Client& c, const Listener& l, const std::filesystem::path& key_file) {
    auto token = read_operator_token(l.token_file);
    if (!token) return token.error();
    DeviceKey key = DeviceKey::generate();
    auto paired = c.call("devices.pair",
                         {{"token", *token}, {"publicKey", key.public_key}, {"name", device_name()}, {"role", kCliRole}});
    if (!paired) return make_error(paired.error().code, "pairing the CLI with coworkd failed: " + paired.error().message);
    key.device_id = paired->value("deviceId", "");
    if (auto st = save_device_key(key_file, key); !st) return st.error();
    return key;
}

}  // namespace

Result<std::unique_ptr<Client>> open_cli_session(const Listener& l, const std::filesystem::path& key_file,
                                                 std::chrono::milliseconds timeout) {
    auto client = Client::open(l.endpoint, timeout);
    if (!client) return client.error();
    Client& c = **client;
    auto stored = load_device_key(key_file);
    if (!stored) return stored.error();
    DeviceKey key;
    if (*stored) {
        key = std::move(**stored);
    } else {
        auto fresh = pair(c, l, key_file);
        if (!fresh) return fresh.error();
        key = std::move(*fresh);
    }
    const std::string nonce = c.challenge().value("nonce", "");
    const long long ts = c.challenge().value("ts", 0LL);
    auto hello = c.call("connect", {{"deviceId", key.device_id},
                                    {"nonce", nonce},
                                    {"ts", ts},
                                    {"role", kCliRole},
                                    {"scopes", kCliScopes},
                                    {"signature", key.sign(connect_message(nonce, ts, kCliRole, kCliScopes))}});
    if (!hello)
        return make_error(hello.error().code,
                          "coworkd refused this CLI's device key (" + hello.error().message + "). It was revoked, or "
                          "coworkd's data was reset: delete " + key_file.string() +
                              " to pair again, or use --local");
    return client;
}

}  // namespace cowork::kernel::remote
