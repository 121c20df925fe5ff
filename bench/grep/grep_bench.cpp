// Generates a tree of 100,000 small files (10×10×10 directories × 100 files,
// a few MB) under /tmp, then times tool.code's grep engine and `grep -r` on
// the same patterns, in the same run, and removes the tree.
#include "cowork_tools/confinement.hpp"
#include "grep_search.hpp"
#include "tree_walker.hpp"

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace cowork::tools;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kFanout = 10, kFilesPerDir = 100;

void generate(const fs::path& root) {
    int n = 0;
    for (int a = 0; a < kFanout; ++a)
        for (int b = 0; b < kFanout; ++b)
            for (int c = 0; c < kFanout; ++c) {
                const fs::path dir = root / ("d" + std::to_string(a)) / ("e" + std::to_string(b)) / ("f" + std::to_string(c));
                fs::create_directories(dir);
                for (int i = 0; i < kFilesPerDir; ++i, ++n) {
                    std::ofstream out(dir / ("file" + std::to_string(i) + ".txt"));
                    out << "// generated file " << n << "\nint value_" << n << " = " << n * 7 << ";\n";
                    if (n % 997 == 0) out << "const char* marker = \"needle" << n << "\";\n";
                    out << "return value_" << n << ";\n";
                }
            }
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Our engine, files_with_matches mode; returns the number of files found.
size_t run_ours(const fs::path& root, const std::string& pattern) {
    Confinement confinement(root.string(), {});
    const Resolved base = confinement.resolve(".", kForRead);
    code::GrepQuery q;
    q.pattern = pattern;
    q.mode = code::GrepMode::files_with_matches;
    q.max_results = 1000000;
    CancelRegistry registry;
    auto guard = registry.begin("bench");
    code::TreeWalker walker(confinement, base, {true, true}, guard.token());
    return code::grep_tree(walker, q, guard.token()).files.size();
}

size_t run_system_grep(const fs::path& root, const std::string& pattern) {
    const std::string cmd = "grep -r -l -E '" + pattern + "' '" + root.string() + "' | wc -l";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return 0;
    size_t n = 0;
    if (std::fscanf(p, "%zu", &n) != 1) n = 0;
    ::pclose(p);
    return n;
}

}  // namespace

int main() {
    std::string tmpl = "/tmp/cowork-bench-grep-XXXXXX";
    if (!::mkdtemp(tmpl.data())) return 1;
    const fs::path root = tmpl;
    auto t0 = Clock::now();
    generate(root);
    std::printf("generated %d files in %.2f s under %s\n", kFanout * kFanout * kFanout * kFilesPerDir,
                seconds_since(t0), root.c_str());
    (void)run_system_grep(root, "warm-up-the-page-cache");

    for (const std::string pattern : {"needle[0-9]+", "value_99[0-9]*", "neverpresent"}) {
        t0 = Clock::now();
        const size_t ours = run_ours(root, pattern);
        const double t_ours = seconds_since(t0);
        t0 = Clock::now();
        const size_t theirs = run_system_grep(root, pattern);
        const double t_grep = seconds_since(t0);
        std::printf("pattern %-16s  cowork grep: %6.3f s (%zu files)   grep -r: %6.3f s (%zu files)   ratio %.2fx\n",
                    ("'" + pattern + "'").c_str(), t_ours, ours, t_grep, theirs, t_ours / t_grep);
    }
    fs::remove_all(root);
    return 0;
}
