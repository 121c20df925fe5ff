// kernel/storage/clock.hpp — the one timestamp format in the database.
//
// Every *_at / ts column holds Unix time in milliseconds (UTC) as an
// INTEGER: it sorts and compares natively, indexes compactly, and converts
// to ISO-8601 at the edges (API, UI) where a person reads it.
#pragma once

#include <chrono>
#include <cstdint>

namespace cowork::kernel::storage {

using UnixMillis = std::int64_t;

inline UnixMillis now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace cowork::kernel::storage
