#include "bwrap_argv.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace cowork::shell;

namespace {

std::ptrdiff_t index_of(const std::vector<std::string>& v, std::initializer_list<std::string> seq) {
    const std::vector<std::string> s(seq);
    const auto it = std::search(v.begin(), v.end(), s.begin(), s.end());
    return it == v.end() ? -1 : it - v.begin();
}

BwrapLayout layout() {
    BwrapLayout l;
    l.read_write = {"/home/u/proj"};
    l.hidden_dirs = {"/home", "/root"};
    l.masked_files = {"/etc/shadow"};
    l.cwd = "/home/u/proj/src";
    return l;
}

}  // namespace

TEST(BwrapArgv, IsolatesByDefault) {
    const auto argv = build_bwrap_argv(layout(), "make test");
    EXPECT_GE(index_of(argv, {"--unshare-all"}), 0);
    EXPECT_EQ(index_of(argv, {"--share-net"}), -1);
    EXPECT_GE(index_of(argv, {"--die-with-parent"}), 0);
    EXPECT_GE(index_of(argv, {"--new-session"}), 0);
    EXPECT_GE(index_of(argv, {"--cap-drop", "ALL"}), 0);
    EXPECT_GE(index_of(argv, {"--ro-bind", "/", "/"}), 0);
    EXPECT_GE(index_of(argv, {"--tmpfs", "/tmp"}), 0);
    EXPECT_GE(index_of(argv, {"--ro-bind", "/dev/null", "/etc/shadow"}), 0);
    EXPECT_GE(index_of(argv, {"--chdir", "/home/u/proj/src"}), 0);
    const std::vector<std::string> tail(argv.end() - 4, argv.end());
    EXPECT_EQ(tail, (std::vector<std::string>{"--", "/bin/sh", "-c", "make test"}));
}

TEST(BwrapArgv, WorkspaceIsBoundAfterTheDirsThatHideIt) {
    const auto argv = build_bwrap_argv(layout(), "true");
    const auto hide = index_of(argv, {"--tmpfs", "/home"});
    const auto bind = index_of(argv, {"--bind", "/home/u/proj", "/home/u/proj"});
    ASSERT_GE(hide, 0);
    ASSERT_GE(bind, 0);
    EXPECT_LT(index_of(argv, {"--ro-bind", "/", "/"}), hide);
    EXPECT_LT(hide, bind) << "a later tmpfs would hide the workspace";
}

TEST(BwrapArgv, SharesNetworkOnlyWhenAllowedAndPassesSeccomp) {
    auto l = layout();
    l.network = true;
    l.seccomp_fd = 7;
    const auto argv = build_bwrap_argv(l, "true");
    EXPECT_GE(index_of(argv, {"--share-net"}), 0);
    EXPECT_GE(index_of(argv, {"--seccomp", "7"}), 0);
    EXPECT_LT(index_of(argv, {"--seccomp", "7"}), index_of(argv, {"--"}));
}
