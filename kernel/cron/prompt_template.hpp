// kernel/cron/prompt_template.hpp — a cron job's prompt with its
// placeholders filled in.
//
//   {{now}}       the run's time, ISO-8601 in the job's zone ("2026-03-01T09:00:00+01:00")
//   {{today}}     the date in the job's zone ("2026-03-01")
//   {{tomorrow}}  the next date
//   {{week_end}}  the coming Sunday (today when today is Sunday)
//   {{prev_run}}  the previous run's time (as {{now}}), or "never"
//   {{job_name}}  the job's name
//   {{wake_text}} the text of the cron.wake that started the run, else ""
// Unknown placeholders stay as written. Substituted values are defanged
// ("{{" becomes "{ {") so a value (a job name, a wake text from a webhook)
// can never smuggle in a placeholder that expands again.
#pragma once

#include "scheduler/instant.hpp"
#include "scheduler/time_zone.hpp"

#include <map>
#include <optional>
#include <string>

namespace cowork::kernel::cron {

using TemplateValues = std::map<std::string, std::string, std::less<>>;

// Values for one run of a job in `zone`.
TemplateValues template_values(const scheduler::TimeZone& zone, scheduler::Instant now,
                               std::optional<scheduler::Instant> prev_run, const std::string& job_name,
                               const std::string& wake_text);

// One pass over `text`; replacements are never rescanned.
std::string render_prompt(std::string_view text, const TemplateValues& values);

// "{{" → "{ {", repeatedly, so no "{{" survives.
std::string defang(std::string value);

// "2026-03-01T09:00:00+01:00": the instant's reading in `zone` with its offset.
std::string format_local_iso(const scheduler::TimeZone& zone, scheduler::Instant instant);

}  // namespace cowork::kernel::cron
