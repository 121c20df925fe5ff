// cowork/sdk/llm/retry.hpp — when and how long to wait before retrying a
// provider call: 429/408/5xx and connection failures, exponential backoff
// with jitter, and the server's own Retry-After when it gives one.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace cowork::sdk::llm {

using std::chrono::milliseconds;

struct RetryPolicy {
    int max_retries = 3;
    milliseconds base{500};
    milliseconds cap{30'000};
    // A Retry-After longer than this is not waited for: the call fails as
    // rate_limited and says how long the provider asked to wait.
    milliseconds max_server_wait{120'000};
};

inline bool is_retryable_status(int status) {
    return status == 408 || status == 409 || status == 429 || (status >= 500 && status != 501);
}

// The error code a final HTTP status maps to (docs/llm-interface.md).
inline const char* error_code_for_status(int status) {
    if (status == 401 || status == 403) return "auth";
    if (status == 429) return "rate_limited";
    if (status >= 500) return "unavailable";
    return "bad_request";
}

namespace detail {
inline int month_index(std::string_view m) {
    static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int i = 0; i < 12; ++i)
        if (m == names[i]) return i;
    return -1;
}
}  // namespace detail

// Retry-After is either delay-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT"). `retry_after_ms` is the non-standard
// millisecond header some providers send (OpenAI: retry-after-ms).
inline std::optional<milliseconds> parse_retry_after(std::string_view value,
                                                     std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
        const double seconds = std::stod(std::string(value));
        return milliseconds(static_cast<int64_t>(seconds * 1000));
    }
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    char wd[4] = {}, mon[4] = {};
    int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
    if (std::sscanf(std::string(value).c_str(), "%3s, %d %3s %d %d:%d:%d GMT", wd, &day, mon, &year, &hh, &mm, &ss) != 7)
        return std::nullopt;
    const int month = detail::month_index(mon);
    if (month < 0) return std::nullopt;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month;
    tm.tm_mday = day;
    tm.tm_hour = hh;
    tm.tm_min = mm;
    tm.tm_sec = ss;
    const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
    const auto wait = std::chrono::duration_cast<milliseconds>(when - now);
    return std::max(wait, milliseconds(0));
}

inline std::optional<milliseconds> parse_retry_after_ms(std::string_view value) {
    if (value.empty()) return std::nullopt;
    try {
        return milliseconds(static_cast<int64_t>(std::stod(std::string(value))));
    } catch (...) {
        return std::nullopt;
    }
}

// The wait before retry number `attempt` (1-based). The server's wish wins
// when it gave one; otherwise exponential backoff with "equal jitter":
// half the step fixed, half random, so retries from many clients spread
// out but none retries immediately.
template <class Rng = std::minstd_rand>
milliseconds backoff_delay(const RetryPolicy& p, int attempt, std::optional<milliseconds> server_wish, Rng& rng) {
    if (server_wish) return *server_wish;
    const int shift = std::clamp(attempt - 1, 0, 20);
    const int64_t step = std::min<int64_t>(p.cap.count(), p.base.count() << shift);
    std::uniform_int_distribution<int64_t> half(0, step / 2);
    return milliseconds(step / 2 + half(rng));
}

}  // namespace cowork::sdk::llm
