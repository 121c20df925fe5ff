#include "plugins/elf_check.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cowork::kernel::plugins {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

fs::path good_library() { return testing::fixture_root() / "tool.fx-a" / "tool.fx-a.so"; }

void truncate_copy(const fs::path& from, const fs::path& to, uintmax_t size) {
    fs::copy_file(from, to);
    fs::resize_file(to, size);
}

TEST(ElfCheck, AcceptsARealPlugin) { EXPECT_TRUE(check_elf(good_library())); }

TEST(ElfCheck, RefusesTruncatedCopies) {
    TempDir tmp;
    const auto size = fs::file_size(good_library());
    for (uintmax_t keep : {uintmax_t{1024}, size / 2, size - 1}) {
        const auto file = tmp.path() / ("cut-" + std::to_string(keep) + ".so");
        truncate_copy(good_library(), file, keep);
        auto st = check_elf(file);
        ASSERT_FALSE(st) << "kept " << keep << " bytes";
        EXPECT_NE(st.error().message.find("truncated ELF"), std::string::npos) << st.error().message;
    }
}

TEST(ElfCheck, RefusesNonElfAndTinyFiles) {
    TempDir tmp;
    std::ofstream(tmp.path() / "empty.so") << "";
    std::ofstream(tmp.path() / "text.so") << std::string(128, 'x');
    EXPECT_NE(check_elf(tmp.path() / "empty.so").error().message.find("too small"), std::string::npos);
    EXPECT_NE(check_elf(tmp.path() / "text.so").error().message.find("not an ELF"), std::string::npos);
    EXPECT_FALSE(check_elf(tmp.path() / "missing.so"));
}

TEST(ElfCheck, RefusesExecutablesAndWrongClass) {
    TempDir tmp;
    const auto exe = tmp.path() / "exe.so";
    fs::copy_file(good_library(), exe);
    {   // e_type = ET_EXEC (offset 16)
        std::fstream f(exe, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(16);
        const char et_exec[2] = {2, 0};
        f.write(et_exec, 2);
    }
    EXPECT_NE(check_elf(exe).error().message.find("not a shared object"), std::string::npos);
    const auto elf32 = tmp.path() / "elf32.so";
    fs::copy_file(good_library(), elf32);
    {   // EI_CLASS = ELFCLASS32 (offset 4)
        std::fstream f(elf32, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4);
        f.put(1);
    }
    EXPECT_NE(check_elf(elf32).error().message.find("64-bit"), std::string::npos);
}

}  // namespace
}  // namespace cowork::kernel::plugins
