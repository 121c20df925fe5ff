#include "grep_search.hpp"

#include "cowork_tools/atomic_write.hpp"
#include "cowork_tools/binary_detect.hpp"
#include "cowork_tools/open_beneath.hpp"
#include "glob_match.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

namespace cowork::tools::code {
namespace {

bool glob_hits(const std::string& glob, const std::string& rel) {
    if (glob.find('/') != std::string::npos) return glob_match(glob, rel);
    const size_t slash = rel.rfind('/');
    return glob_match(glob, slash == std::string::npos ? rel : rel.substr(slash + 1));
}

std::string_view line_text(std::string_view text, size_t begin, size_t end) {
    if (end > begin && text[end - 1] == '\r') --end;
    return text.substr(begin, end - begin);
}

void append_line(std::string& out, const std::string& path, size_t number, char sep, std::string_view line) {
    out += path;
    out += sep;
    out += std::to_string(number);
    out += sep;
    out.append(line);
    out += '\n';
}

// Matching lines as (line number, begin, end), first `limit` of them.
struct Hit {
    size_t line, begin, end;
};

std::vector<Hit> find_hits(const LineMatcher& matcher, std::string_view text, size_t limit) {
    std::vector<Hit> hits;
    size_t counted_to = 0, line = 1;
    matcher.scan(text, [&](size_t begin, size_t end) {
        line += static_cast<size_t>(std::count(text.begin() + static_cast<long>(counted_to),
                                                text.begin() + static_cast<long>(begin), '\n'));
        counted_to = begin;
        hits.push_back({line, begin, end});
        return hits.size() < limit;
    });
    return hits;
}

// grep-style: "path:N:line" for matches, "path-N-line" for context, "--"
// between groups that do not touch.
std::string format_with_context(const std::string& path, std::string_view text, const std::vector<Hit>& hits,
                                int before, int after) {
    std::vector<size_t> starts{0};
    for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n' && i + 1 < text.size()) starts.push_back(i + 1);
    auto line_at = [&](size_t n) {  // 1-based
        const size_t b = starts[n - 1];
        size_t e = n < starts.size() ? starts[n] - 1 : text.size();
        if (e > b && text[e - 1] == '\n') --e;  // the last line's newline
        return line_text(text, b, e);
    };
    std::string out;
    size_t printed = 0;  // last line printed
    for (size_t h = 0; h < hits.size(); ++h) {
        const size_t ln = hits[h].line;
        const size_t from = ln > static_cast<size_t>(before) ? ln - static_cast<size_t>(before) : 1;
        const size_t first = std::max(from, printed + 1);
        if (printed != 0 && first > printed + 1) out += "--\n";
        for (size_t n = first; n < ln; ++n) append_line(out, path, n, '-', line_at(n));
        if (ln > printed) append_line(out, path, ln, ':', line_at(ln));
        printed = std::max(printed, ln);
        const size_t next_hit = h + 1 < hits.size() ? hits[h + 1].line : SIZE_MAX;
        const size_t to = std::min({ln + static_cast<size_t>(after), starts.size(), next_hit - 1});
        for (size_t n = printed + 1; n <= to; ++n) append_line(out, path, n, '-', line_at(n));
        printed = std::max(printed, to);
    }
    return out;
}

struct SharedScan {
    const std::vector<std::string>& rels;
    const FileList& list;
    const GrepQuery& query;
    const CancelToken& cancel;
    std::vector<FileMatches> results;
    std::vector<unsigned char> skipped;  // 0 scanned, 1 binary, 2 too large, 3 unreadable
    std::atomic<size_t> next{0}, done{0}, found{0};
    std::atomic<bool> stop{false};
};

void scan_one(SharedScan& s, const LineMatcher& matcher, size_t i) {
    const std::string& rel = s.rels[i];
    UniqueFd fd = open_beneath(s.list.base_fd, rel, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    struct stat st {};
    if (!fd || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        s.skipped[i] = 3;
        return;
    }
    if (static_cast<size_t>(st.st_size) > kMaxGrepFileBytes) {
        s.skipped[i] = 2;
        return;
    }
    std::string text;
    try {
        text = read_all(fd.get(), kMaxGrepFileBytes);
    } catch (...) {
        s.skipped[i] = 3;
        return;
    }
    if (looks_binary(std::string_view(text).substr(0, kBinarySniffBytes))) {
        s.skipped[i] = 1;
        return;
    }
    const size_t per_file_limit = s.query.mode == GrepMode::files_with_matches ? 1 : s.query.max_results;
    const auto hits = find_hits(matcher, text, s.query.mode == GrepMode::count ? SIZE_MAX : per_file_limit);
    if (hits.empty()) return;
    FileMatches& out = s.results[i];
    out.path = s.list.prefix.empty() ? rel : s.list.prefix + "/" + rel;
    out.matches = hits.size();
    if (s.query.mode == GrepMode::content) {
        if (s.query.before > 0 || s.query.after > 0) {
            out.text = format_with_context(out.path, text, hits, s.query.before, s.query.after);
        } else {
            for (const auto& h : hits) append_line(out.text, out.path, h.line, ':', line_text(text, h.begin, h.end));
        }
    }
    const size_t weight = s.query.mode == GrepMode::content ? hits.size() : 1;
    if (s.found.fetch_add(weight) + weight >= s.query.max_results) s.stop = true;
}

void worker(SharedScan& s) {
    const LineMatcher matcher(s.query.pattern, s.query.match);  // one per thread: glibc regexec locks the regex
    for (;;) {
        if (s.stop.load() || s.cancel.cancelled()) return;
        const size_t i = s.next.fetch_add(1);
        if (i >= s.rels.size()) return;
        scan_one(s, matcher, i);
        s.done.fetch_add(1);
    }
}

}  // namespace

bool passes_filters(const std::string& rel, const std::vector<std::string>& include,
                    const std::vector<std::string>& exclude) {
    if (!include.empty() && std::none_of(include.begin(), include.end(), [&](auto& g) { return glob_hits(g, rel); }))
        return false;
    return std::none_of(exclude.begin(), exclude.end(), [&](auto& g) { return glob_hits(g, rel); });
}

GrepOutcome grep_tree(TreeWalker& walker, const GrepQuery& query, const CancelToken& cancel,
                      const std::function<void(size_t, size_t)>& progress) {
    { const LineMatcher validate(query.pattern, query.match); }  // report a bad pattern before any I/O
    FileList list{walker.base_fd(), walker.display_prefix(), {}};
    walker.run([&](int, const std::string&, const std::string& rel) {
        if (passes_filters(rel, query.include, query.exclude)) list.rels.push_back(rel);
        return true;
    });
    return grep_files(list, query, cancel, progress);
}

GrepOutcome grep_files(const FileList& list, const GrepQuery& query, const CancelToken& cancel,
                       const std::function<void(size_t, size_t)>& progress) {
    { const LineMatcher validate(query.pattern, query.match); }
    const std::vector<std::string>& rels = list.rels;
    SharedScan s{rels, list, query, cancel, std::vector<FileMatches>(rels.size()),
                 std::vector<unsigned char>(rels.size(), 0)};
    std::vector<std::thread> pool;
    const unsigned n_threads = std::max(1u, std::min<unsigned>(query.threads, static_cast<unsigned>(rels.size())));
    for (unsigned t = 0; t < n_threads; ++t) pool.emplace_back(worker, std::ref(s));
    if (progress) {
        // Progress comes from this thread only: sink events must not be concurrent.
        while (s.done.load() < rels.size() && !s.stop.load() && !cancel.cancelled()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            progress(s.done.load(), rels.size());
        }
    }
    for (auto& t : pool) t.join();

    GrepOutcome out;
    out.cancelled = cancel.cancelled();
    const size_t claimed = std::min(s.next.load(), rels.size());
    out.files_scanned = claimed;
    for (size_t i = 0; i < claimed; ++i) {
        if (s.skipped[i] == 1) ++out.binary_skipped;
        if (s.skipped[i] == 2) ++out.large_skipped;
        if (s.results[i].matches == 0) continue;
        const size_t weight = query.mode == GrepMode::content ? s.results[i].matches : 1;
        if (out.total_matches + weight > query.max_results) {
            out.truncated = true;
            if (query.mode != GrepMode::content) break;
            // Keep the first lines of this file up to the cap.
            const size_t keep = query.max_results - out.total_matches;
            if (keep == 0) break;
            FileMatches cut = std::move(s.results[i]);
            if (query.before == 0 && query.after == 0) {
                size_t pos = 0;
                for (size_t k = 0; k < keep; ++k) pos = cut.text.find('\n', pos) + 1;
                cut.text.resize(pos);
            }
            cut.matches = keep;
            out.total_matches += keep;
            out.files.push_back(std::move(cut));
            break;
        }
        out.total_matches += weight;
        out.files.push_back(std::move(s.results[i]));
    }
    if (s.stop.load() && claimed < rels.size()) out.truncated = true;
    return out;
}

}  // namespace cowork::tools::code
