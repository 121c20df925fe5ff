// kernel/core/redactor.hpp — keeps secret values out of logs, events and errors.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::kernel {

// Process-wide registry of secret values. Everything that leaves the kernel
// as text (log lines, bus events, API errors) passes through redact().
class Redactor {
public:
    static Redactor& instance();

    // Remember a secret value; values shorter than 4 bytes are ignored
    // (redacting "a" would shred every message).
    void add(std::string_view secret);
    void clear();

    // A copy of `text` with every registered secret replaced by "[REDACTED]".
    std::string redact(std::string_view text) const;
    bool contains_secret(std::string_view text) const;

private:
    mutable std::mutex mutex_;
    std::vector<std::string> secrets_;
};

}  // namespace cowork::kernel
