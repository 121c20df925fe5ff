// kernel/scheduler/time_zone.hpp — IANA time zones read from TZif files.
//
// GCC 12's libstdc++ has no std::chrono tzdb, so we read
// /usr/share/zoneinfo/<Name> ourselves (RFC 8536, version 2+): the 64-bit
// transition table, then the POSIX TZ footer for instants past its end.
// Needs the `tzdata` package.
#pragma once

#include "core/result.hpp"
#include "scheduler/instant.hpp"
#include "scheduler/posix_tz.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cowork::kernel::scheduler {

// How a wall-clock reading maps to UTC instants.
struct LocalResolution {
    enum class Kind { Unique, Ambiguous, Gap } kind = Kind::Unique;
    Instant first;   // Unique/Ambiguous: earliest instant; Gap: the first instant after the gap
    Instant second;  // Ambiguous: the later occurrence; otherwise == first
};

class TimeZone {
public:
    // "Europe/Berlin", "UTC", … Names are checked before touching the file
    // system: segments of [A-Za-z0-9_+-], no "..", no leading '/'.
    // Errors: tz.invalid_name, tz.unknown (no such zone), tz.invalid_file.
    static Result<std::shared_ptr<const TimeZone>> load(std::string_view name);
    static Result<std::shared_ptr<const TimeZone>> load_from(const std::filesystem::path& root,
                                                             std::string_view name);
    // Parses TZif bytes (exposed for tests).
    static Result<std::shared_ptr<const TimeZone>> from_tzif(std::string name, std::string_view bytes);

    static Status validate_name(std::string_view name);

    const std::string& name() const { return name_; }
    int offset_at(Instant instant) const;  // seconds east of UTC
    LocalTime to_local(Instant instant) const;
    LocalResolution resolve(LocalTime local) const;

private:
    Instant gap_end(Instant before_gap, Instant after_gap) const;

    std::string name_;
    std::vector<Instant> transitions_;
    std::vector<int> offsets_after_;  // offset in force from transitions_[i]
    int initial_offset_ = 0;          // before the first transition
    std::optional<PosixTzRule> footer_;
};

}  // namespace cowork::kernel::scheduler
