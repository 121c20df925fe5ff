// kernel/cron/trigger_secret.hpp — the shared secret cron.trigger checks.
#pragma once

#include <string>
#include <string_view>

namespace cowork::kernel::cron {

// The secrets-service key holding it (`cowork secret set cron.trigger_secret …`).
inline constexpr const char* kTriggerSecretKey = "cron.trigger_secret";

// Constant-time equality that also hides the length: both sides are hashed
// (BLAKE2b) and the digests compared with sodium_memcmp.
bool secrets_equal(std::string_view given, std::string_view expected);

}  // namespace cowork::kernel::cron
