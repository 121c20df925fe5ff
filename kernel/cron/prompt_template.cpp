// kernel/cron/prompt_template.cpp
#include "cron/prompt_template.hpp"

#include <cstdio>

namespace cowork::kernel::cron {
namespace {

using namespace std::chrono;

std::string format_date(local_days day) {
    const year_month_day d{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

}  // namespace

std::string format_local_iso(const scheduler::TimeZone& zone, scheduler::Instant instant) {
    const auto local = zone.to_local(instant);
    const auto day = floor<days>(local);
    const hh_mm_ss<seconds> t{local - day};
    const int offset = zone.offset_at(instant);
    const int off_abs = offset < 0 ? -offset : offset;
    char buf[48];
    std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d%c%02d:%02d", static_cast<int>(t.hours().count()),
                  static_cast<int>(t.minutes().count()), static_cast<int>(t.seconds().count()), offset < 0 ? '-' : '+',
                  off_abs / 3600, (off_abs % 3600) / 60);
    return format_date(day) + buf;
}

TemplateValues template_values(const scheduler::TimeZone& zone, scheduler::Instant now,
                               std::optional<scheduler::Instant> prev_run, const std::string& job_name,
                               const std::string& wake_text) {
    const local_days today = floor<days>(zone.to_local(now));
    const weekday wd{today};
    const local_days sunday = today + days((7 - wd.c_encoding()) % 7);
    return {{"now", format_local_iso(zone, now)},
            {"today", format_date(today)},
            {"tomorrow", format_date(today + days(1))},
            {"week_end", format_date(sunday)},
            {"prev_run", prev_run ? format_local_iso(zone, *prev_run) : "never"},
            {"job_name", job_name},
            {"wake_text", wake_text}};
}

std::string defang(std::string value) {
    for (size_t pos = value.find("{{"); pos != std::string::npos; pos = value.find("{{", pos))
        value.replace(pos, 2, "{ {");
    return value;
}

std::string render_prompt(std::string_view text, const TemplateValues& values) {
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t open = text.find("{{", pos);
        if (open == std::string_view::npos) break;
        const size_t close = text.find("}}", open + 2);
        if (close == std::string_view::npos) break;
        out.append(text.substr(pos, open - pos));
        std::string_view name = text.substr(open + 2, close - open - 2);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        if (auto it = values.find(name); it != values.end()) {
            // A value must not form "{{" with the braces around it either.
            const std::string value = defang(it->second);
            if (!value.empty() && value.front() == '{' && !out.empty() && out.back() == '{') out += ' ';
            out += value;
            pos = close + 2;
            if (!value.empty() && value.back() == '{' && pos < text.size() && text[pos] == '{') out += ' ';
        } else {
            // Unknown: keep the braces and rescan just past the first "{"
            // so "{{{{now}}" still finds the inner placeholder.
            out += '{';
            pos = open + 1;
        }
    }
    out.append(text.substr(pos));
    return out;
}

}  // namespace cowork::kernel::cron
