#include "cowork_tools/atomic_write.hpp"
#include "cowork_tools/tool_failure.hpp"
#include "cowork_tools/unique_fd.hpp"
#include "plugin_harness.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

using namespace cowork::tools;
using cowork::tools::testing::Scratch;

namespace {
int open_dir(const std::filesystem::path& p) { return ::open(p.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC); }
}  // namespace

TEST(AtomicWrite, CreatesAndReplacesPreservingMode) {
    Scratch s;
    UniqueFd dir(open_dir(s.ws()));
    auto r1 = atomic_write(dir.get(), "a.sh", "a.sh", std::string_view("one"));
    EXPECT_TRUE(r1.created);
    ::chmod((s.ws() / "a.sh").c_str(), 0751);
    auto r2 = atomic_write(dir.get(), "a.sh", "a.sh", std::string_view("two"));
    EXPECT_FALSE(r2.created);
    EXPECT_EQ(Scratch::read(s.ws() / "a.sh"), "two");
    struct stat st {};
    ASSERT_EQ(::stat((s.ws() / "a.sh").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0751u);
    // No temporary file is left behind.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(s.ws()), {}), 1);
}

TEST(AtomicWrite, FailingWriterLeavesTargetAndNoTemp) {
    Scratch s;
    Scratch::write(s.ws() / "keep.txt", "original");
    UniqueFd dir(open_dir(s.ws()));
    EXPECT_THROW(atomic_write(dir.get(), "keep.txt", "keep.txt",
                              [](int fd) -> size_t {
                                  write_all(fd, "partial");
                                  throw ToolFailure("disk on fire");
                              }),
                 ToolFailure);
    EXPECT_EQ(Scratch::read(s.ws() / "keep.txt"), "original");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(s.ws()), {}), 1);
}

TEST(AtomicWrite, RefusesSymlinkAndHardLinkedTargets) {
    Scratch s;
    Scratch::write(s.outside() / "secret", "canary");
    std::filesystem::create_symlink(s.outside() / "secret", s.ws() / "link");
    std::filesystem::create_hard_link(s.outside() / "secret", s.ws() / "hard");
    UniqueFd dir(open_dir(s.ws()));
    EXPECT_THROW(atomic_write(dir.get(), "link", "link", std::string_view("x")), ToolFailure);
    EXPECT_THROW(atomic_write(dir.get(), "hard", "hard", std::string_view("x")), ToolFailure);
    EXPECT_EQ(Scratch::read(s.outside() / "secret"), "canary");
}

TEST(AtomicWrite, ReaderNeverSeesPartialContent) {
    Scratch s;
    const std::string a(200000, 'a'), b(200000, 'b');
    Scratch::write(s.ws() / "f", a);
    UniqueFd dir(open_dir(s.ws()));
    std::atomic<bool> stop{false};
    std::atomic<int> torn{0};
    std::thread reader([&] {
        while (!stop) {
            const std::string got = Scratch::read(s.ws() / "f");
            if (got != a && got != b) ++torn;
        }
    });
    for (int i = 0; i < 30; ++i) atomic_write(dir.get(), "f", "f", std::string_view(i % 2 ? a : b));
    stop = true;
    reader.join();
    EXPECT_EQ(torn.load(), 0);
}
