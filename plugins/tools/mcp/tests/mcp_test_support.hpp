// mcp_test_support.hpp — real peers for tool.mcp's tests: npm packages
// installed once into a cache folder under the build tree, the fault
// fixture, free ports, waiting for a listener, and /proc checks that no
// server process outlives its client.
#pragma once

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <csignal>
#include <cstdio>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace cowork::mcp::testing {

namespace fs = std::filesystem;

inline std::string build_out() {
    const char* out = std::getenv("COWORK_BUILD_OUT");
    return out ? out : MCP_BUILD_OUT;
}

inline std::string fixture(const std::string& name) { return std::string(MCP_FIXTURES_DIR) + "/" + name; }

// The folder holding node_modules with the MCP peers; installs them the first time.
// Empty (and a reason in `why`) when node or npm is unavailable.
inline std::string npm_peers(std::string& why) {
    const std::string dir = std::string(MCP_NPM_DIR);
    const std::string marker = dir + "/node_modules/@modelcontextprotocol/server-filesystem/package.json";
    if (fs::exists(dir + "/node_modules/@modelcontextprotocol/server-everything/package.json") && fs::exists(marker)) return dir;
    if (std::system("node --version > /dev/null 2>&1") != 0) {
        why = "node is not installed";
        return "";
    }
    fs::create_directories(dir);
    const std::string cmd = "cd '" + dir +
                            "' && npm install --no-audit --no-fund --silent @modelcontextprotocol/server-everything@2026.8.31 "
                            "@modelcontextprotocol/server-filesystem > npm.log 2>&1";
    if (std::system(cmd.c_str()) != 0) {
        why = "npm install of the MCP servers failed; see " + dir + "/npm.log";
        return "";
    }
    return dir;
}

inline std::string everything_js(const std::string& dir) {
    return dir + "/node_modules/@modelcontextprotocol/server-everything/dist/index.js";
}
inline std::string filesystem_js(const std::string& dir) {
    return dir + "/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js";
}

inline int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

inline bool wait_for_port(int port, std::chrono::seconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
        ::close(fd);
        if (ok) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

// Processes whose process group is `pgid` (from /proc/<pid>/stat), zombies included.
inline std::vector<int> processes_in_group(int pgid) {
    std::vector<int> out;
    for (const auto& e : fs::directory_iterator("/proc")) {
        const std::string name = e.path().filename();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(e.path() / "stat");
        std::string stat((std::istreambuf_iterator<char>(in)), {});
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        char state = 0;
        int ppid = 0, pgrp = 0;
        if (std::sscanf(stat.c_str() + close + 2, "%c %d %d", &state, &ppid, &pgrp) == 3 && pgrp == pgid)
            out.push_back(std::stoi(name));
    }
    return out;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

// Polls `pred` (for state another process writes); the bound is generous and
// only stops a broken test from hanging, it is not what the test asserts.
template <class Pred>
bool eventually(Pred pred, std::chrono::seconds limit = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
}

// A background server process (its own process group), killed with its group.
class Background {
public:
    Background(const std::vector<std::string>& argv, const std::vector<std::pair<std::string, std::string>>& env) {
        pid_ = ::fork();
        if (pid_ == 0) {
            ::setpgid(0, 0);
            for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
            std::vector<char*> args;
            for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
            args.push_back(nullptr);
            const int devnull = ::open("/dev/null", 1);
            ::dup2(devnull, 1);
            ::dup2(devnull, 2);
            ::execvp(args[0], args.data());
            ::_exit(127);
        }
    }
    ~Background() {
        if (pid_ > 0) {
            ::kill(-pid_, SIGKILL);
            int st;
            ::waitpid(pid_, &st, 0);
        }
    }
    int pid() const { return pid_; }

private:
    int pid_ = -1;
};

}  // namespace cowork::mcp::testing
