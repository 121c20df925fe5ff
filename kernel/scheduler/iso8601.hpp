// kernel/scheduler/iso8601.hpp — absolute times as text: "2025-03-30T01:30:00+01:00", "…Z".
#pragma once

#include "core/result.hpp"
#include "scheduler/instant.hpp"

#include <string>
#include <string_view>

namespace cowork::kernel::scheduler {

// Accepts YYYY-MM-DDTHH:MM[:SS[.fraction]] followed by 'Z' or ±HH:MM (or ±HHMM).
// A time without an offset is refused: it would silently depend on the host zone.
// Fractions of a second are truncated. Error: schedule.invalid_time.
Result<Instant> parse_iso8601(std::string_view text);

// "2025-03-30T01:30:00Z"
std::string format_iso8601(Instant instant);

}  // namespace cowork::kernel::scheduler
