// kernel/cron/local_zone.hpp — the machine's IANA zone name, the default
// `tz` of a cron job.
#pragma once

#include <string>

namespace cowork::kernel::cron {

// $TZ when it names a zone ("Europe/Berlin" or ":Europe/Berlin"), else
// /etc/timezone, else the target of the /etc/localtime symlink below
// ".../zoneinfo/", else "UTC". Only names TimeZone::load accepts are returned.
std::string local_zone_name();

}  // namespace cowork::kernel::cron
