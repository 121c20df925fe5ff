// The out-of-tree example plugin builds against the *installed* SDK alone
// (find_package(CoworkSDK)), is loaded by the kernel and works: its tool
// runs through the policy engine and keeps state in its scoped tables.
#include "process_helpers.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace cowork::e2e;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

Run sh(const Home& home, const std::string& command) { return run({"/bin/sh", "-c", command}, home); }

json hello_of(const Run& list) {
    for (const auto& p : list.json())
        if (p.value("id", "") == "tool.hello") return p;
    return nullptr;
}

}  // namespace

TEST(SdkExample, BuildsOutOfTreeAgainstInstalledSdkAndRunsInTheKernel) {
    const char* src = std::getenv("COWORK_SOURCE_DIR");
    ASSERT_NE(src, nullptr) << "ctest sets COWORK_SOURCE_DIR";
    Home home;
    const fs::path prefix = home.path() / "sdk-prefix", build = home.path() / "hello-build";
    const fs::path build_root = build_out().parent_path();
    auto install = sh(home, "cmake --install '" + build_root.string() + "' --component sdk --prefix '" + prefix.string() + "'");
    ASSERT_EQ(install.exit_code, 0) << install.err;
    ASSERT_TRUE(fs::exists(prefix / "lib/cmake/CoworkSDK/CoworkSDKConfig.cmake"));
    // Configure against the install prefix only: the source tree is not on any path.
    auto configure = sh(home, "cmake -S '" + (prefix / "share/cowork/sdk-examples/hello-tool").string() + "' -B '" +
                                  build.string() + "' -DCMAKE_PREFIX_PATH='" + prefix.string() + "' -DCMAKE_BUILD_TYPE=Release");
    ASSERT_EQ(configure.exit_code, 0) << configure.out << configure.err;
    auto compile = sh(home, "cmake --build '" + build.string() + "'");
    ASSERT_EQ(compile.exit_code, 0) << compile.out << compile.err;
    const fs::path plugins = build / "plugins";
    ASSERT_TRUE(fs::exists(plugins / "tool.hello/tool.hello.so"));

    auto list = run({bin("cowork").string(), "plugins", "list", "--json", "--plugin-dir", plugins.string()}, home);
    ASSERT_EQ(list.exit_code, 0) << list.err;
    ASSERT_FALSE(hello_of(list).is_null()) << list.out;
    EXPECT_EQ(hello_of(list)["state"], "Initialized") << list.out;

    const std::vector<std::string> call{bin("cowork").string(), "tools", "call", "tool.hello.greet", "--approve",
                                        "--args", R"({"name":"Ada"})", "--json", "--plugin-dir", plugins.string()};
    auto first = run(call, home);
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_EQ(first.json()["content"][0]["text"], "Hello, Ada! (greeting #1)") << first.out;
    auto second = run(call, home);
    EXPECT_EQ(second.json()["content"][0]["text"], "Hello, Ada! (greeting #2)") << "scoped table persisted";

    // Arguments are validated against the tool's inputSchema before it runs.
    auto bad = run({bin("cowork").string(), "tools", "call", "tool.hello.greet", "--approve", "--args", R"({"name":""})",
                    "--json", "--plugin-dir", plugins.string()},
                   home);
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_EQ(bad.json()["error"]["code"], "INVALID_PARAMS") << bad.out;

    // Policy: a side-effecting tool asks first; without approval nothing runs.
    auto ask = run({bin("cowork").string(), "tools", "call", "tool.hello.greet", "--args", R"({"name":"Bob"})", "--json",
                    "--plugin-dir", plugins.string()},
                   home);
    EXPECT_EQ(ask.exit_code, 1);
    EXPECT_EQ(ask.json()["error"]["code"], "APPROVAL_REQUIRED") << ask.out;

    // A tampered library is refused before dlopen.
    { std::ofstream(plugins / "tool.hello/tool.hello.so", std::ios::app) << "x"; }
    auto tampered = run({bin("cowork").string(), "plugins", "list", "--json", "--plugin-dir", plugins.string()}, home);
    EXPECT_EQ(hello_of(tampered)["state"], "Failed");
    EXPECT_EQ(hello_of(tampered)["phase"], "verify") << tampered.out;
}
