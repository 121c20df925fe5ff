// kernel/remote/device_key.hpp — the CLI's Ed25519 device identity for the
// control plane, kept in a 0600 JSON file (`<config dir>/cli-device.json`).
#pragma once

#include "core/result.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cowork::kernel::remote {

struct DeviceKey {
    std::string device_id;    // set once paired ("d" + 20 hex chars, assigned by coworkd)
    std::string public_key;   // raw 32 bytes, base64url without padding
    std::vector<unsigned char> secret_key;  // libsodium's 64-byte Ed25519 secret key

    static DeviceKey generate();
    // Base64url signature of `message`.
    std::string sign(const std::string& message) const;
};

// The file's key, nullopt when it does not exist yet. A file readable by
// others, or one that does not parse, is an error naming the file and what to do.
Result<std::optional<DeviceKey>> load_device_key(const std::filesystem::path& file);

// Writes the key (0600, parent 0700) unless the file appeared meanwhile
// (another CLI paired at the same moment): then that one is kept.
Status save_device_key(const std::filesystem::path& file, const DeviceKey& key);

// The exact bytes a device signs (docs/control-plane.md, Handshake).
std::string connect_message(const std::string& nonce, long long ts, const std::string& role,
                            const std::vector<std::string>& scopes);

}  // namespace cowork::kernel::remote
