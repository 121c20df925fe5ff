#include "config/load.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <sys/stat.h>

namespace cowork::kernel::config {
namespace {

using cowork::testing::TempDir;

TEST(DefaultFile, CreatedWith0600AndParsesBackToDefaults) {
    TempDir dir;
    const auto path = dir.path() / "cowork" / "cowork.toml";
    const mode_t old_umask = ::umask(0);  // even a permissive umask must not widen the mode
    auto loaded = load(path, {});
    ::umask(old_umask);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600u);
    EXPECT_TRUE(loaded->warnings.empty()) << loaded->warnings.front().to_string();
    EXPECT_EQ(to_json(loaded->config, Sanitize::no), to_json(Config{}, Sanitize::no));
    EXPECT_EQ(loaded->config.file, path);
    EXPECT_EQ(loaded->config.control_plane.port, 18789);
    EXPECT_EQ(loaded->config.hooks.port, 9877);
}

TEST(DefaultFile, ExistingFileIsNotOverwritten) {
    TempDir dir;
    const auto path = dir.path() / "cowork.toml";
    std::ofstream(path) << "# mine\n";
    // A process that loses the race to create it (or finds it there) keeps
    // the existing file untouched and carries on.
    ASSERT_TRUE(write_default_config(path).ok());
    std::ifstream in(path);
    EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), {}), "# mine\n");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1) << "no temporary file is left";
}

TEST(DefaultFile, EverySectionIsCommented) {
    const std::string& text = default_config_text();
    for (const char* section : {"[kernel]", "[guardrails]", "[secrets]", "[control_plane]", "[hooks]", "[scheduler]", "[agent]",
                                "# [policy]", "# [plugins.\"<id>\"]", "# [providers.<name>]"}) {
        const auto at = text.find(section);
        ASSERT_NE(at, std::string::npos) << section;
        // A comment line says what the section does right after its header or before it.
        const auto next_line = text.find('\n', at) + 1;
        EXPECT_TRUE(text.compare(next_line, 1, "#") == 0 || section[0] == '#') << section;
    }
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n') > 100, true);
}

TEST(DefaultFile, CheckReportsNothingForDefaults) {
    TempDir dir;
    const auto path = dir.path() / "cowork.toml";
    ASSERT_TRUE(write_default_config(path).ok());
    EXPECT_TRUE(check(path, {}).empty());
    const auto missing = check(dir.path() / "absent.toml", {});
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].severity, Severity::error);
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "absent.toml"));
}

}  // namespace
}  // namespace cowork::kernel::config
