// tool.files through its C entry point: the everyday behaviour.
#include "plugin_harness.hpp"

#include <sys/stat.h>

#include <set>

using namespace cowork::tools::testing;

namespace {
LoadedPlugin& plugin() {
    static LoadedPlugin p(COWORK_TOOL_FILES_SO);
    return p;
}
Json call(const Scratch& s, const std::string& tool, const Json& args) { return plugin().call(tool, args, s.ws().string()); }
}  // namespace

TEST(FilesTools, ListsAllToolsWithAnnotations) {
    const Json tools = plugin().list()["tools"];
    std::set<std::string> names;
    for (const auto& t : tools) {
        names.insert(t["name"].get<std::string>());
        EXPECT_TRUE(t["inputSchema"].is_object());
        EXPECT_TRUE(t["annotations"].contains("approval"));
    }
    EXPECT_EQ(names, (std::set<std::string>{"read_file", "read_files", "write_file", "copy_file", "rename_file",
                                            "delete_file", "create_directory", "list_directory", "file_info"}));
}

TEST(FilesTools, ReadFileLineWindowAndContinuationNote) {
    Scratch s;
    std::string text;
    for (int i = 1; i <= 50; ++i) text += "line " + std::to_string(i) + "\n";
    Scratch::write(s.ws() / "a.txt", text);
    const Json r = call(s, "read_file", {{"path", "a.txt"}, {"offset", 10}, {"limit", 5}});
    ASSERT_FALSE(is_error(r)) << r;
    EXPECT_NE(text_of(r).find("    10\tline 10\n"), std::string::npos);
    EXPECT_EQ(text_of(r).find("line 15"), std::string::npos);
    EXPECT_NE(text_of(r).find("offset=15"), std::string::npos);
    EXPECT_EQ(r["data"]["nextOffset"], 15);
}

TEST(FilesTools, ReadFileByteRange) {
    Scratch s;
    Scratch::write(s.ws() / "b.txt", "0123456789");
    const Json r = call(s, "read_file", {{"path", "b.txt"}, {"byteOffset", 2}, {"byteLength", 3}});
    EXPECT_EQ(text_of(r).substr(0, 3), "234");
    EXPECT_NE(text_of(r).find("byteOffset=5"), std::string::npos);
}

TEST(FilesTools, BinaryFileIsDescribedNotDumped) {
    Scratch s;
    Scratch::write(s.ws() / "img.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
    const Json r = call(s, "read_file", {{"path", "img.png"}});
    EXPECT_TRUE(is_error(r));
    EXPECT_EQ(r["data"]["mime"], "image/png");
    EXPECT_EQ(r["data"]["size"], 16);
    EXPECT_EQ(text_of(r).find("IHDR"), std::string::npos);
}

TEST(FilesTools, ReadFilesReportsEachFile) {
    Scratch s;
    Scratch::write(s.ws() / "x", "xx\n");
    Scratch::write(s.ws() / "y", "yy\n");
    const Json r = call(s, "read_files", {{"paths", {"x", "missing", "y"}}});
    EXPECT_FALSE(is_error(r));
    const auto t = text_of(r);
    EXPECT_NE(t.find("==> x <=="), std::string::npos);
    EXPECT_NE(t.find("yy"), std::string::npos);
    EXPECT_NE(t.find("error:"), std::string::npos);
}

TEST(FilesTools, WriteFileCreatesParentsAndPreservesMode) {
    Scratch s;
    EXPECT_TRUE(is_error(call(s, "write_file", {{"path", "d/e/f.txt"}, {"content", "x"}})));
    Json r = call(s, "write_file", {{"path", "d/e/f.txt"}, {"content", "hello"}, {"createParents", true}});
    ASSERT_FALSE(is_error(r)) << r;
    EXPECT_TRUE(r["data"]["created"].get<bool>());
    ::chmod((s.ws() / "d/e/f.txt").c_str(), 0700);
    r = call(s, "write_file", {{"path", "d/e/f.txt"}, {"content", "bye"}});
    EXPECT_FALSE(r["data"]["created"].get<bool>());
    EXPECT_EQ(r["data"]["mode"], "0700");
    EXPECT_EQ(Scratch::read(s.ws() / "d/e/f.txt"), "bye");
}

TEST(FilesTools, MalformedArgumentsAreInvalid) {
    Scratch s;
    const Json r = call(s, "write_file", {{"path", "a"}});
    EXPECT_EQ(r["abiError"], COWORK_E_INVALID);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("content"), std::string::npos);
    EXPECT_EQ(plugin().call("read_file", {{"path", "a"}}, "relative/ws")["abiError"], COWORK_E_INVALID);
}

TEST(FilesTools, CopyRenameAndOverwriteRules) {
    Scratch s;
    Scratch::write(s.ws() / "a", "A");
    ::chmod((s.ws() / "a").c_str(), 0640);
    EXPECT_FALSE(is_error(call(s, "copy_file", {{"sourcePath", "a"}, {"destPath", "b"}})));
    EXPECT_EQ(Scratch::read(s.ws() / "b"), "A");
    EXPECT_EQ(fs::status(s.ws() / "b").permissions() & fs::perms::all, fs::perms(0640));
    EXPECT_TRUE(is_error(call(s, "copy_file", {{"sourcePath", "a"}, {"destPath", "b"}})));
    EXPECT_TRUE(is_error(call(s, "rename_file", {{"oldPath", "a"}, {"newPath", "b"}})));
    EXPECT_FALSE(is_error(call(s, "rename_file", {{"oldPath", "a"}, {"newPath", "c"}})));
    EXPECT_FALSE(fs::exists(s.ws() / "a"));
    EXPECT_FALSE(is_error(call(s, "rename_file", {{"oldPath", "c"}, {"newPath", "b"}, {"overwrite", true}})));
    EXPECT_EQ(Scratch::read(s.ws() / "b"), "A");
}

TEST(FilesTools, DeleteMovesToTrash) {
    Scratch s;
    Scratch::write(s.ws() / "gone.txt", "bye");
    Scratch::write(s.ws() / "dir/inner", "i");
    const Json r = call(s, "delete_file", {{"path", "gone.txt"}});
    ASSERT_FALSE(is_error(r)) << r;
    EXPECT_FALSE(fs::exists(s.ws() / "gone.txt"));
    const std::string where = r["data"]["trashPath"];
    EXPECT_EQ(where.rfind(".cowork/trash/", 0), 0u);
    EXPECT_TRUE(where.ends_with("-gone.txt"));
    EXPECT_EQ(Scratch::read(s.ws() / where), "bye");
    EXPECT_FALSE(is_error(call(s, "delete_file", {{"path", "dir"}})));
    EXPECT_FALSE(fs::exists(s.ws() / "dir"));
    EXPECT_TRUE(is_error(call(s, "delete_file", {{"path", "."}})));
    EXPECT_TRUE(is_error(call(s, "delete_file", {{"path", "nope"}})));
}

TEST(FilesTools, CreateDirectoryIsIdempotent) {
    Scratch s;
    EXPECT_TRUE(call(s, "create_directory", {{"path", "p/q"}})["data"]["created"].get<bool>());
    EXPECT_FALSE(call(s, "create_directory", {{"path", "p/q"}})["data"]["created"].get<bool>());
    Scratch::write(s.ws() / "file", "");
    EXPECT_TRUE(is_error(call(s, "create_directory", {{"path", "file"}})));
}

TEST(FilesTools, ListDirectoryCapsAndDepth) {
    Scratch s;
    for (int i = 0; i < 30; ++i) Scratch::write(s.ws() / ("f" + std::to_string(100 + i)), "x");
    Scratch::write(s.ws() / "sub/deep/deeper/z", "z");
    fs::create_symlink("/etc", s.ws() / "etc-link");
    Json r = call(s, "list_directory", {{"maxEntries", 10}});
    EXPECT_EQ(r["data"]["entries"].size(), 10u);
    EXPECT_TRUE(r["data"]["truncated"].get<bool>());
    EXPECT_NE(text_of(r).find("maxEntries"), std::string::npos);
    r = call(s, "list_directory", {{"path", "sub"}, {"recursive", true}, {"maxDepth", 2}});
    std::vector<std::string> paths;
    for (const auto& e : r["data"]["entries"]) paths.push_back(e["path"]);
    EXPECT_EQ(paths, (std::vector<std::string>{"deep", "deep/deeper"}));
    r = call(s, "list_directory", {});
    EXPECT_NE(text_of(r).find("etc-link -> /etc"), std::string::npos);
}

TEST(FilesTools, FileInfoDescribesLinksWithoutFollowing) {
    Scratch s;
    Scratch::write(s.ws() / "t.json", "{}");
    fs::create_symlink("/etc/passwd", s.ws() / "pw");
    Json r = call(s, "file_info", {{"path", "t.json"}});
    EXPECT_EQ(r["data"]["mime"], "application/json");
    EXPECT_EQ(r["data"]["binary"], false);
    r = call(s, "file_info", {{"path", "pw"}});
    EXPECT_EQ(r["data"]["type"], "symlink");
    EXPECT_EQ(r["data"]["target"], "/etc/passwd");
    EXPECT_TRUE(r["data"]["resolvesTo"].is_null());
}
