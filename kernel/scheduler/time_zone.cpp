// kernel/scheduler/time_zone.cpp
#include "scheduler/time_zone.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>

namespace cowork::kernel::scheduler {
namespace {

using namespace std::chrono;

// Big-endian reader over the TZif bytes; every read is bounds-checked.
class ByteReader {
public:
    explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
    bool has(size_t n) const { return pos_ + n <= bytes_.size(); }
    void skip(size_t n) { pos_ += n; }
    size_t pos() const { return pos_; }
    std::string_view rest() const { return bytes_.substr(std::min(pos_, bytes_.size())); }
    int64_t be(size_t n) {
        uint64_t v = 0;
        for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(bytes_[pos_ + i]);
        pos_ += n;
        if (n == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
        return static_cast<int64_t>(v);
    }

private:
    std::string_view bytes_;
    size_t pos_ = 0;
};

struct Header {
    char version = 0;
    int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
    size_t data_size(size_t time_size) const {
        return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) + isstdcnt +
               isutcnt;
    }
};

bool read_header(ByteReader& in, Header& h) {
    if (!in.has(44) || in.rest().substr(0, 4) != "TZif") return false;
    in.skip(4);
    h.version = in.rest()[0];
    in.skip(16);
    h.isutcnt = in.be(4);
    h.isstdcnt = in.be(4);
    h.leapcnt = in.be(4);
    h.timecnt = in.be(4);
    h.typecnt = in.be(4);
    h.charcnt = in.be(4);
    return h.isutcnt >= 0 && h.isstdcnt >= 0 && h.leapcnt >= 0 && h.timecnt >= 0 && h.typecnt > 0 &&
           h.charcnt >= 0 && h.typecnt <= 256;
}

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '+';
}

std::filesystem::path zoneinfo_root() {
    // TZDIR is the conventional override (also used by glibc).
    if (const char* dir = std::getenv("TZDIR"); dir && *dir) return dir;
    return "/usr/share/zoneinfo";
}

}  // namespace

Status TimeZone::validate_name(std::string_view name) {
    auto fail = [&](const char* why) {
        return make_error("tz.invalid_name", "time zone '" + std::string(name) + "': " + why +
                                                 " (use an IANA name such as \"Europe/Berlin\" or \"UTC\")");
    };
    if (name.empty() || name.size() > 64) return fail("must be 1-64 characters");
    size_t start = 0;
    while (start <= name.size()) {
        size_t slash = name.find('/', start);
        std::string_view seg = name.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (seg.empty()) return fail("has an empty path segment");
        if (seg.front() == '.' || seg.front() == '-') return fail("a segment may not start with '.' or '-'");
        if (!std::all_of(seg.begin(), seg.end(), is_name_char))
            return fail("may contain only letters, digits, '_', '-', '+' and '/'");
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return ok_status();
}

Result<std::shared_ptr<const TimeZone>> TimeZone::load(std::string_view name) {
    // Zones are immutable once read: cache them for the process.
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
    {
        std::lock_guard lock(mutex);
        if (auto it = cache.find(name); it != cache.end()) return it->second;
    }
    auto zone = load_from(zoneinfo_root(), name);
    if (!zone) return zone;
    std::lock_guard lock(mutex);
    cache.emplace(std::string(name), *zone);
    return zone;
}

Result<std::shared_ptr<const TimeZone>> TimeZone::load_from(const std::filesystem::path& root,
                                                            std::string_view name) {
    if (auto st = validate_name(name); !st) return st.error();
    auto path = root / std::string(name);
    std::ifstream file(path, std::ios::binary);
    std::error_code ec;
    if (!file || !std::filesystem::is_regular_file(path, ec))
        return make_error("tz.unknown", "unknown time zone '" + std::string(name) + "' (no " + path.string() +
                                            "; is the tzdata package installed?)");
    std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    return from_tzif(std::string(name), bytes);
}

Result<std::shared_ptr<const TimeZone>> TimeZone::from_tzif(std::string name, std::string_view bytes) {
    auto fail = [&](const char* why) {
        return make_error("tz.invalid_file", "time zone '" + name + "': not a usable TZif file: " + why);
    };
    ByteReader in(bytes);
    Header v1;
    if (!read_header(in, v1)) return fail("bad header");
    if (v1.version < '2') return fail("version 1 files are not supported");
    if (!in.has(v1.data_size(4))) return fail("truncated v1 block");
    in.skip(v1.data_size(4));  // the 32-bit block; the 64-bit one follows
    Header h;
    if (!read_header(in, h)) return fail("bad v2 header");
    if (!in.has(h.data_size(8))) return fail("truncated v2 block");

    auto zone = std::make_shared<TimeZone>();
    zone->name_ = std::move(name);
    std::vector<int64_t> times(h.timecnt);
    for (auto& t : times) t = in.be(8);
    std::vector<int> type_of(h.timecnt);
    for (auto& t : type_of) {
        t = static_cast<int>(in.be(1));
        if (t >= h.typecnt) return fail("transition names a missing type");
    }
    std::vector<int> type_offset(h.typecnt);
    for (auto& off : type_offset) {
        off = static_cast<int>(in.be(4));
        in.skip(2);  // isdst, abbreviation index: not needed for offsets
    }
    in.skip(h.charcnt + h.leapcnt * 12 + h.isstdcnt + h.isutcnt);

    zone->initial_offset_ = type_offset[0];
    for (size_t i = 0; i < times.size(); ++i) {
        zone->transitions_.push_back(Instant(seconds(times[i])));
        zone->offsets_after_.push_back(type_offset[type_of[i]]);
    }
    // Footer: "\n<POSIX TZ>\n"; empty means "no rule".
    std::string_view footer = in.rest();
    if (footer.size() >= 2 && footer.front() == '\n') {
        footer.remove_prefix(1);
        footer = footer.substr(0, footer.find('\n'));
        if (!footer.empty()) {
            auto rule = PosixTzRule::parse(footer);
            if (!rule) return fail("bad footer rule");
            zone->footer_ = std::move(rule.value());
        }
    }
    return std::shared_ptr<const TimeZone>(std::move(zone));
}

int TimeZone::offset_at(Instant instant) const {
    if (transitions_.empty()) return footer_ ? footer_->offset_at(instant) : initial_offset_;
    if (instant < transitions_.front()) return initial_offset_;
    if (instant >= transitions_.back() && footer_) return footer_->offset_at(instant);
    auto it = std::upper_bound(transitions_.begin(), transitions_.end(), instant);
    return offsets_after_[static_cast<size_t>(it - transitions_.begin()) - 1];
}

LocalTime TimeZone::to_local(Instant instant) const {
    return LocalTime((instant + seconds(offset_at(instant))).time_since_epoch());
}

// The first instant whose offset equals the one at `after_gap`, searching
// back to `before_gap` (which has the old offset): the moment the clocks jumped.
Instant TimeZone::gap_end(Instant before_gap, Instant after_gap) const {
    const int new_offset = offset_at(after_gap);
    while (after_gap - before_gap > seconds(1)) {
        Instant mid = before_gap + (after_gap - before_gap) / 2;
        if (offset_at(mid) == new_offset) after_gap = mid;
        else before_gap = mid;
    }
    return after_gap;
}

LocalResolution TimeZone::resolve(LocalTime local) const {
    const Instant as_utc(local.time_since_epoch());
    // Every offset that could apply within a day of this reading.
    std::set<int> candidates{offset_at(as_utc - days(1)), offset_at(as_utc), offset_at(as_utc + days(1))};
    for (int off : std::set<int>(candidates)) candidates.insert(offset_at(as_utc - seconds(off)));

    std::vector<Instant> valid;
    for (int off : candidates) {
        Instant u = as_utc - seconds(off);
        if (offset_at(u) == off) valid.push_back(u);
    }
    std::sort(valid.begin(), valid.end());
    valid.erase(std::unique(valid.begin(), valid.end()), valid.end());
    if (valid.size() == 1) return {LocalResolution::Kind::Unique, valid[0], valid[0]};
    if (valid.size() >= 2) return {LocalResolution::Kind::Ambiguous, valid.front(), valid.back()};

    // A gap: the reading was skipped when the clocks jumped forward.
    // Subtracting the larger offset lands before the jump, the smaller after it.
    const int low = *candidates.begin(), high = *candidates.rbegin();
    Instant after = gap_end(as_utc - seconds(high), as_utc - seconds(low));
    return {LocalResolution::Kind::Gap, after, after};
}

}  // namespace cowork::kernel::scheduler
