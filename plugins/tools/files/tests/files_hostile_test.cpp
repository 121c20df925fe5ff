// tool.files against a hostile workspace: every escape must be refused and
// the canary outside must never be read or changed.
#include "plugin_harness.hpp"

#include <sys/stat.h>

#include <atomic>
#include <thread>

using namespace cowork::tools::testing;

namespace {
LoadedPlugin& plugin() {
    static LoadedPlugin p(COWORK_TOOL_FILES_SO);
    return p;
}
Json call(const Scratch& s, const std::string& tool, const Json& args) { return plugin().call(tool, args, s.ws().string()); }

const std::string kCanary = "CANARY-outside-the-workspace";

struct Hostile : Scratch {
    Hostile() {
        write(outside() / "secret.txt", kCanary);
        write(ws() / "inside/ok.txt", "fine");
        fs::create_symlink("/etc", ws() / "etc");
        fs::create_symlink("..", ws() / "up");
        fs::create_symlink(outside(), ws() / "out");
        fs::create_symlink(outside() / "secret.txt", ws() / "secret-link");
        fs::create_directories(ws() / "a/b");
        fs::create_symlink("../../../outside", ws() / "a/b/hop");
        fs::create_symlink("a/b/hop", ws() / "chain");
    }
    void expect_canary_intact() const { EXPECT_EQ(read(outside() / "secret.txt"), kCanary); }
};
}  // namespace

TEST(FilesHostile, ReadEscapesAreRefusedWithReasons) {
    Hostile h;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"../outside/secret.txt", "'..' climbs above"},
        {"inside/../../outside/secret.txt", "escapes"},
        {(h.outside() / "secret.txt").string(), "outside the workspace"},
        {"/etc/passwd", "outside the workspace"},
        {"etc/passwd", "via symlink 'etc' → /etc"},
        {"up/outside/secret.txt", "via symlink 'up' → .."},
        {"out/secret.txt", "via symlink 'out'"},
        {"secret-link", "via symlink 'secret-link'"},
        {"chain/secret.txt", "via symlink 'a/b/hop'"},
    };
    for (const auto& [path, why] : cases) {
        const Json r = call(h, "read_file", {{"path", path}});
        EXPECT_TRUE(is_error(r)) << path;
        EXPECT_NE(text_of(r).find(why), std::string::npos) << path << " → " << text_of(r);
        EXPECT_EQ(text_of(r).find(kCanary), std::string::npos) << path;
    }
}

TEST(FilesHostile, WritesNeverGoThroughSymlinks) {
    Hostile h;
    fs::create_symlink("inside", h.ws() / "alias");  // even an inside link
    for (const std::string path : {"out/secret.txt", "secret-link", "alias/ok.txt", "etc/x", "chain/secret.txt"}) {
        const Json r = call(h, "write_file", {{"path", path}, {"content", "pwned"}});
        EXPECT_TRUE(is_error(r)) << path;
    }
    EXPECT_TRUE(is_error(call(h, "copy_file", {{"sourcePath", "inside/ok.txt"}, {"destPath", "out/copied"}})));
    EXPECT_FALSE(fs::exists(h.outside() / "copied"));
    EXPECT_EQ(Scratch::read(h.ws() / "inside/ok.txt"), "fine");
    h.expect_canary_intact();
}

TEST(FilesHostile, InsideSymlinkIsFollowedForReads) {
    Hostile h;
    fs::create_symlink("inside", h.ws() / "alias");
    const Json r = call(h, "read_file", {{"path", "alias/ok.txt"}});
    ASSERT_FALSE(is_error(r)) << r;
    EXPECT_NE(text_of(r).find("fine"), std::string::npos);
}

TEST(FilesHostile, AllowedRootGrantsAccess) {
    Hostile h;
    const Json r = plugin().call("read_file", {{"path", (h.outside() / "secret.txt").string()}}, h.ws().string(),
                                 {h.outside().string()});
    EXPECT_FALSE(is_error(r)) << r;
    EXPECT_NE(text_of(r).find(kCanary), std::string::npos);
}

TEST(FilesHostile, HardLinkToOutsideIsNotWrittenOrDeleted) {
    Hostile h;
    fs::create_hard_link(h.outside() / "secret.txt", h.ws() / "hard");
    EXPECT_TRUE(is_error(call(h, "write_file", {{"path", "hard"}, {"content", "pwned"}})));
    const Json del = call(h, "delete_file", {{"path", "hard"}});
    EXPECT_TRUE(is_error(del));
    EXPECT_NE(text_of(del).find("hard links"), std::string::npos);
    EXPECT_TRUE(fs::exists(h.ws() / "hard"));
    h.expect_canary_intact();
}

TEST(FilesHostile, FifoAndDevicesAreRefusedWithoutBlocking) {
    Hostile h;
    ASSERT_EQ(::mkfifo((h.ws() / "pipe").c_str(), 0600), 0);
    fs::create_symlink("/dev/zero", h.ws() / "zero");
    Json r = call(h, "read_file", {{"path", "pipe"}});  // would hang if opened blocking
    EXPECT_TRUE(is_error(r));
    EXPECT_NE(text_of(r).find("FIFO"), std::string::npos);
    EXPECT_TRUE(is_error(call(h, "write_file", {{"path", "pipe"}, {"content", "x"}})));
    EXPECT_TRUE(is_error(call(h, "delete_file", {{"path", "pipe"}})));
    EXPECT_TRUE(is_error(call(h, "read_file", {{"path", "zero"}})));
}

TEST(FilesHostile, DeletingASymlinkTrashesTheLinkNotTheTarget) {
    Hostile h;
    const Json r = call(h, "delete_file", {{"path", "secret-link"}});
    ASSERT_FALSE(is_error(r)) << r;
    EXPECT_FALSE(fs::is_symlink(h.ws() / "secret-link"));
    h.expect_canary_intact();
}

// A thread swaps a directory inside the workspace for a symlink to the
// outside and back, as fast as it can, while the tool reads and writes
// through that directory. The tool may fail, but must never read the canary
// or write outside.
TEST(FilesHostile, ToctouDirectorySwapNeverTouchesOutside) {
    Hostile h;
    Scratch::write(h.ws() / "d/secret.txt", "inside-version");
    std::atomic<bool> stop{false};
    std::thread swapper([&] {
        const auto d = h.ws() / "d", real = h.ws() / "d-real", evil = h.ws() / "d-evil";
        fs::create_symlink(h.outside(), evil);
        while (!stop) {
            ::rename(d.c_str(), real.c_str());
            ::rename(evil.c_str(), d.c_str());   // d → outside
            ::rename(d.c_str(), evil.c_str());
            ::rename(real.c_str(), d.c_str());   // d → real again
        }
    });
    int reads_ok = 0;
    for (int i = 0; i < 300; ++i) {
        const Json r = call(h, "read_file", {{"path", "d/secret.txt"}});
        ASSERT_EQ(text_of(r).find(kCanary), std::string::npos) << "read the outside canary";
        if (!is_error(r)) ++reads_ok;
        call(h, "write_file", {{"path", "d/secret.txt"}, {"content", "written-" + std::to_string(i)}});
    }
    stop = true;
    swapper.join();
    h.expect_canary_intact();
    EXPECT_EQ(std::distance(fs::directory_iterator(h.outside()), {}), 1) << "something was created outside";
    RecordProperty("reads_ok", reads_ok);
}
