// kernel/scheduler/cron_expr.cpp
#include "scheduler/cron_expr.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <sstream>
#include <vector>

namespace cowork::kernel::scheduler {
namespace {

struct FieldSpec {
    int number;  // 1-based, for messages
    const char* name;
    int min;
    int max;
    const char* const* names;  // names[i] is value min+i; nullptr if none
};

constexpr const char* kMonthNames[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kDayNames[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

constexpr std::array<FieldSpec, 5> kFields{{
    {1, "minute", 0, 59, nullptr},
    {2, "hour", 0, 23, nullptr},
    {3, "day-of-month", 1, 31, nullptr},
    {4, "month", 1, 12, kMonthNames},
    {5, "day-of-week", 0, 7, kDayNames},  // 7 folds onto 0 (Sunday)
}};

std::string_view alias_expansion(std::string_view alias) {
    if (alias == "@hourly") return "0 * * * *";
    if (alias == "@daily" || alias == "@midnight") return "0 0 * * *";
    if (alias == "@weekly") return "0 0 * * 0";
    if (alias == "@monthly") return "0 0 1 * *";
    if (alias == "@yearly" || alias == "@annually") return "0 0 1 1 *";
    return {};
}

std::vector<std::string_view> split(std::string_view text, char sep) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (true) {
        size_t at = text.find(sep, start);
        parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
        if (at == std::string_view::npos) return parts;
        start = at + 1;
    }
}

class FieldParser {
public:
    explicit FieldParser(const FieldSpec& spec) : spec_(spec) {}

    // Sets bits [min..max] of `out` (as a vector<bool> indexed by value).
    Status parse(std::string_view field, std::vector<bool>& out) const {
        out.assign(static_cast<size_t>(spec_.max) + 1, false);
        for (auto item : split(field, ',')) {
            if (auto st = parse_item(item, out); !st) return st;
        }
        return ok_status();
    }

private:
    Error error(const std::string& what) const {
        return make_error("schedule.invalid_cron", "cron field " + std::to_string(spec_.number) + " (" +
                                                       spec_.name + "): " + what,
                          Json{{"field", spec_.number}, {"name", spec_.name}});
    }
    std::string range_text() const { return std::to_string(spec_.min) + "-" + std::to_string(spec_.max); }

    Result<int> value(std::string_view token) const {
        if (token.empty()) return error("missing value");
        int v = 0;
        auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
        if (ec == std::errc() && end == token.data() + token.size()) {
            if (v < spec_.min || v > spec_.max)
                return error(std::string(token) + " out of range " + range_text());
            return v;
        }
        if (spec_.names != nullptr && token.size() == 3) {
            std::string upper(token);
            for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            int count = spec_.number == 4 ? 12 : 7;
            for (int i = 0; i < count; ++i)
                if (upper == spec_.names[i]) return spec_.min + i;
        }
        return error("'" + std::string(token) + "' is not a number" + (spec_.names ? " or name" : ""));
    }

    Status parse_item(std::string_view item, std::vector<bool>& out) const {
        if (item.empty()) return error("empty list item");
        int step = 1;
        if (size_t slash = item.find('/'); slash != std::string_view::npos) {
            std::string_view step_text = item.substr(slash + 1);
            auto [end, ec] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
            if (ec != std::errc() || end != step_text.data() + step_text.size() || step_text.empty())
                return error("bad step '" + std::string(step_text) + "'");
            if (step < 1 || step > spec_.max) return error("step " + std::to_string(step) + " out of range 1-" +
                                                          std::to_string(spec_.max));
            item = item.substr(0, slash);
            if (item.empty()) return error("missing range before '/'");
        }
        int low = spec_.min, high = spec_.max;
        if (item != "*") {
            size_t dash = item.find('-');
            auto first = value(item.substr(0, dash));
            if (!first) return first.error();
            low = *first;
            if (dash != std::string_view::npos) {
                auto last = value(item.substr(dash + 1));
                if (!last) return last.error();
                high = *last;
                if (high < low)
                    return error("range " + std::string(item) + " is backwards");
            } else if (step == 1) {
                high = low;  // a single value; "a/n" keeps high = max
            }
        }
        for (int v = low; v <= high; v += step) out[static_cast<size_t>(v)] = true;
        return ok_status();
    }

    const FieldSpec& spec_;
};

template <size_t N>
void copy_bits(const std::vector<bool>& from, std::bitset<N>& to) {
    for (size_t i = 0; i < N && i < from.size(); ++i) to.set(i, from[i]);
}

}  // namespace

Result<CronExpr> CronExpr::parse(std::string_view text) {
    std::string_view body = text;
    if (!text.empty() && text.front() == '@') {
        body = alias_expansion(text);
        if (body.empty())
            return make_error("schedule.invalid_cron",
                              "cron alias '" + std::string(text) +
                                  "' is not supported (use @hourly, @daily, @weekly, @monthly or @yearly)");
    }
    std::vector<std::string> fields;
    std::istringstream in{std::string(body)};
    for (std::string f; in >> f;) fields.push_back(f);
    if (fields.size() != 5)
        return make_error("schedule.invalid_cron",
                          "cron expression '" + std::string(text) + "' has " + std::to_string(fields.size()) +
                              " fields; expected 5 (minute hour day-of-month month day-of-week)");

    CronExpr expr;
    expr.text_ = std::string(text);
    std::vector<bool> bits;
    for (size_t i = 0; i < 5; ++i) {
        if (auto st = FieldParser(kFields[i]).parse(fields[i], bits); !st) return st.error();
        switch (i) {
            case 0: copy_bits(bits, expr.minutes_); break;
            case 1: copy_bits(bits, expr.hours_); break;
            case 2: copy_bits(bits, expr.days_of_month_); break;
            case 3: copy_bits(bits, expr.months_); break;
            case 4:
                if (bits[7]) bits[0] = true;  // 7 is Sunday too
                copy_bits(bits, expr.days_of_week_);
                break;
        }
    }
    expr.hour_star_ = fields[1].front() == '*';
    expr.dom_star_ = fields[2].front() == '*';
    expr.dow_star_ = fields[4].front() == '*';
    return expr;
}

bool CronExpr::day_matches(std::chrono::year_month_day date) const {
    if (!months_.test(static_cast<unsigned>(date.month()))) return false;
    bool dom = days_of_month_.test(static_cast<unsigned>(date.day()));
    bool dow = days_of_week_.test(std::chrono::weekday(std::chrono::sys_days(date)).c_encoding());
    if (dom_star_ || dow_star_) return dom && dow;  // the '*' side matches every day anyway
    return dom || dow;                               // both restricted: Vixie's OR
}

}  // namespace cowork::kernel::scheduler
