#include "redactor.hpp"

#include <algorithm>

namespace cowork::kernel {

Redactor& Redactor::instance() {
    static Redactor r;
    return r;
}

void Redactor::add(std::string_view secret) {
    if (secret.size() < 4) return;
    std::lock_guard lock(mutex_);
    if (std::find(secrets_.begin(), secrets_.end(), secret) != secrets_.end()) return;
    secrets_.emplace_back(secret);
    // Longest first, so a secret containing another is replaced whole.
    std::sort(secrets_.begin(), secrets_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

void Redactor::clear() {
    std::lock_guard lock(mutex_);
    secrets_.clear();
}

std::string Redactor::redact(std::string_view text) const {
    std::string out(text);
    std::lock_guard lock(mutex_);
    for (const auto& s : secrets_) {
        for (size_t pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos)) {
            out.replace(pos, s.size(), "[REDACTED]");
            pos += 10;
        }
    }
    return out;
}

bool Redactor::contains_secret(std::string_view text) const {
    std::lock_guard lock(mutex_);
    return std::any_of(secrets_.begin(), secrets_.end(),
                       [&](const auto& s) { return text.find(s) != std::string_view::npos; });
}

}  // namespace cowork::kernel
