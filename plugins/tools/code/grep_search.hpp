// grep_search.hpp — the search engine behind the grep tool (and bench/grep):
// walk the tree once, then scan the files on a small pool of threads.
#pragma once

#include "cowork_tools/cancellation.hpp"
#include "line_matcher.hpp"
#include "tree_walker.hpp"

#include <functional>
#include <string>
#include <vector>

namespace cowork::tools::code {

enum class GrepMode { content, files_with_matches, count };

struct GrepQuery {
    std::string pattern;
    MatchOptions match;
    GrepMode mode = GrepMode::content;
    int before = 0;  // context lines
    int after = 0;
    size_t max_results = 500;  // matching lines (content) or files (other modes)
    std::vector<std::string> include;  // globs; no '/' = match the file name
    std::vector<std::string> exclude;
    unsigned threads = 2;
};

struct FileMatches {
    std::string path;   // workspace-relative
    size_t matches = 0; // matching lines
    std::string text;   // formatted lines, content mode only
};

struct GrepOutcome {
    std::vector<FileMatches> files;  // in path order, only files with matches
    size_t total_matches = 0;
    size_t files_scanned = 0;
    size_t binary_skipped = 0;
    size_t large_skipped = 0;
    bool truncated = false;  // max_results reached
    bool cancelled = false;
};

inline constexpr size_t kMaxGrepFileBytes = 32u << 20;

// Files to scan: paths relative to a directory descriptor, shown with a prefix.
struct FileList {
    int base_fd = -1;
    std::string prefix;  // "" or "dir" → shown as "dir/<rel>"
    std::vector<std::string> rels;
};

// Throws ToolFailure for an invalid pattern (before any file is read).
GrepOutcome grep_files(const FileList& files, const GrepQuery& query, const CancelToken& cancel,
                       const std::function<void(size_t done, size_t total)>& progress = {});

// Walks, filters by include/exclude, then grep_files.
GrepOutcome grep_tree(TreeWalker& walker, const GrepQuery& query, const CancelToken& cancel,
                      const std::function<void(size_t done, size_t total)>& progress = {});

// Does `rel` pass the include/exclude globs?
bool passes_filters(const std::string& rel, const std::vector<std::string>& include,
                    const std::vector<std::string>& exclude);

}  // namespace cowork::tools::code
