// The cowork CLI as a client of a running coworkd: it finds the daemon
// through listener.json, pairs itself as a device on first use with the
// local operator token, reuses its key afterwards, and behaves as the
// in-process kernel does (same commands, same output, same exit codes).
#include "process_helpers.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

namespace cowork::e2e {
namespace e2e = cowork::e2e;
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

e2e::Run cli(const Home& home, std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), bin("cowork").string());
    return run(args, home, input);
}

fs::path device_file(const Home& home) { return home.path() / "config" / "cli-device.json"; }

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    return {std::istreambuf_iterator<char>(in), {}};
}

json call_part(const std::string& id, const std::string& tool, json args) {
    return {{"type", "tool_call"}, {"id", id}, {"name", tool}, {"arguments", std::move(args)}};
}

json turn(json parts) { return {{"message", {{"role", "assistant"}, {"content", std::move(parts)}}}}; }

}  // namespace

TEST(CliRemote, PairsOnFirstUseThenReusesItsKey) {
    Home home;
    Daemon d(home, {});
    ASSERT_TRUE(d.ready());
    ASSERT_FALSE(fs::exists(device_file(home)));

    const e2e::Run first = cli(home, {"status", "--json", "--verbose"});
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_NE(first.err.find("using coworkd at ws://127.0.0.1:"), std::string::npos) << first.err;
    EXPECT_TRUE(first.json().contains("version")) << first.out;
    ASSERT_TRUE(fs::exists(device_file(home))) << "first use pairs and stores the key";
    EXPECT_EQ(fs::status(device_file(home)).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
    const std::string key_after_pairing = read_file(device_file(home));

    const e2e::Run tasks = cli(home, {"task", "list", "--json"});
    ASSERT_EQ(tasks.exit_code, 0) << tasks.err;
    EXPECT_TRUE(tasks.json().is_array()) << tasks.out;
    const e2e::Run devices = cli(home, {"devices", "list", "--json"});
    ASSERT_EQ(devices.exit_code, 0) << devices.err;
    ASSERT_EQ(devices.json()["devices"].size(), 1u) << "later runs sign with the stored key, no new pairing: " << devices.out;
    EXPECT_EQ(devices.json()["devices"][0].value("role", ""), "admin");
    EXPECT_EQ(read_file(device_file(home)), key_after_pairing);
    EXPECT_EQ(home.all_text().find("secretKey"), home.all_text().rfind("secretKey")) << "the private key lives in one file";
}

TEST(CliRemote, RemoteAndLocalAnswerTheSame) {
    Home home;
    Daemon d(home, {});
    ASSERT_TRUE(d.ready());
    const e2e::Run remote = cli(home, {"workspace", "create", home.path().string(), "--json"});
    ASSERT_EQ(remote.exit_code, 0) << remote.err;
    const std::string id = remote.json().value("id", "");
    ASSERT_FALSE(id.empty()) << remote.out;
    const e2e::Run shown_remote = cli(home, {"workspace", "show", id, "--json"});
    const e2e::Run shown_local = cli(home, {"workspace", "show", id, "--json", "--local"});
    ASSERT_EQ(shown_remote.exit_code, 0) << shown_remote.err;
    EXPECT_EQ(shown_remote.json(), shown_local.json());
    const e2e::Run missing_remote = cli(home, {"task", "show", "no-such-task", "--json"});
    const e2e::Run missing_local = cli(home, {"task", "show", "no-such-task", "--json", "--local"});
    EXPECT_EQ(missing_remote.exit_code, 1);
    EXPECT_EQ(missing_local.exit_code, 1);
    EXPECT_EQ(missing_remote.json()["error"].value("code", ""), missing_local.json()["error"].value("code", "x"));
}

TEST(CliRemote, UnknownMethodSaysTheKernelLacksItAndToUpgrade) {
    Home home;
    Daemon d(home, {});
    ASSERT_TRUE(d.ready());
    const e2e::Run r = cli(home, {"api", "call", "nosuch.method", "--json"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("has no method nosuch.method"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("upgrade"), std::string::npos) << r.err;
    EXPECT_EQ(r.json()["error"].value("code", ""), "UNKNOWN_METHOD") << r.out;
}

TEST(CliRemote, WithoutADaemonFallsBackToLocalUnlessRemoteIsRequired) {
    Home home;
    const e2e::Run local = cli(home, {"task", "list", "--json"});
    EXPECT_EQ(local.exit_code, 0) << local.err;
    const e2e::Run remote = cli(home, {"task", "list", "--remote"});
    EXPECT_EQ(remote.exit_code, 1);
    EXPECT_NE(remote.err.find("--remote"), std::string::npos) << remote.err;
    EXPECT_NE(remote.err.find("start coworkd"), std::string::npos) << remote.err;
    const e2e::Run devices = cli(home, {"devices", "list"});
    EXPECT_EQ(devices.exit_code, 1) << "devices live in coworkd's control plane";
    EXPECT_NE(devices.err.find("start coworkd"), std::string::npos) << devices.err;
    const e2e::Run both = cli(home, {"status", "--local", "--remote"});
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_FALSE(fs::exists(device_file(home))) << "nothing was paired";

    // A daemon killed with -9 leaves listener.json behind: still local.
    {
        Daemon d(home, {});
        ASSERT_TRUE(d.ready());
        d.stop(SIGKILL);
    }
    const e2e::Run after_kill = cli(home, {"status", "--json", "--verbose"});
    EXPECT_EQ(after_kill.exit_code, 0) << after_kill.err;
    EXPECT_NE(after_kill.err.find("no longer running"), std::string::npos) << after_kill.err;
}

TEST(CliRemote, RunStreamsTheTaskAndAnswersTheApprovalFromStdin) {
    Home home;
    const fs::path workspace = home.path() / "ws";
    const fs::path script = home.path() / "script.json";
    fs::create_directories(workspace);
    std::ofstream(workspace / "notes.txt") << "remember the milk\n";
    std::ofstream(script) << json{{"model", "scripted-1"},
                                  {"turns", json::array({turn(json::array({call_part(
                                                             "c1", "tool.files.write_file",
                                                             {{"path", "copy.txt"}, {"content", "remember the milk\n"}})})),
                                                         turn(json::array({{{"type", "text"}, {"text", "Copied."}}}))})}}
                                 .dump();
    // The task runs in the daemon: the provider fixture and its script are its.
    Daemon d(home, {"--plugin-dir", fixture_plugins().string()}, {{"COWORK_SCRIPTED_LLM", script.string()}});
    ASSERT_TRUE(d.ready());
    const e2e::Run r = cli(home, {"run", "copy notes.txt to copy.txt", "--workspace", workspace.string(), "--provider",
                             "llm.scripted", "--approve-stdin", "--verbose"},
                      "y\n");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.err.find("using coworkd"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("? approve tool.files.write_file"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("completed"), std::string::npos) << r.err;
    EXPECT_EQ(read_file(workspace / "copy.txt"), "remember the milk\n") << "written by the daemon after the approval";

    const e2e::Run list = cli(home, {"task", "list", "--json"});
    ASSERT_EQ(list.exit_code, 0) << list.err;
    ASSERT_EQ(list.json().size(), 1u) << list.out;
    EXPECT_EQ(list.json()[0].value("status", ""), "completed");

    // --json: one document at the end, the journal included.
    std::ofstream(script) << json{{"model", "scripted-1"},
                                  {"turns", json::array({turn(json::array({{{"type", "text"}, {"text", "Hi."}}}))})}}
                                 .dump();
    std::error_code ec;
    fs::remove(script.string() + ".state", ec);
    const e2e::Run j = cli(home, {"run", "say hi", "--workspace", workspace.string(), "--provider", "llm.scripted", "--json"});
    ASSERT_EQ(j.exit_code, 0) << j.out << j.err;
    const json doc = j.json();
    ASSERT_TRUE(doc.is_object()) << j.out;
    EXPECT_EQ(doc["task"].value("status", ""), "completed");
    EXPECT_FALSE(doc["events"].empty());
}

TEST(CliRemote, CtrlCCancelsTheTaskInTheDaemon) {
    Home home;
    const fs::path workspace = home.path() / "ws", script = home.path() / "script.json";
    fs::create_directories(workspace);
    // A slow model turn: the task is still running when Ctrl-C arrives.
    std::ofstream(script) << json{{"model", "scripted-1"},
                                  {"turns", json::array({{{"message", {{"role", "assistant"}, {"content", json::array({{{"type", "text"}, {"text", "late"}}})}}},
                                                          {"delayMs", 3000}}})}}
                                 .dump();
    Daemon d(home, {"--plugin-dir", fixture_plugins().string()}, {{"COWORK_SCRIPTED_LLM", script.string()}});
    ASSERT_TRUE(d.ready());
    const fs::path output = home.path() / "run.out";
    const pid_t pid = spawn_background({bin("cowork").string(), "run", "slow", "--workspace", workspace.string(),
                                        "--provider", "llm.scripted"},
                                       home, {}, output);
    std::string id;
    for (int i = 0; i < 400 && id.empty(); ++i) {
        const json list = cli(home, {"task", "list", "--json"}).json();
        if (list.is_array() && !list.empty()) id = list[0].value("id", "");
    }
    ASSERT_FALSE(id.empty()) << read_file(output);
    // The CLI catches Ctrl-C before it creates the task: no race with its start.
    ::kill(pid, SIGINT);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_EQ(WEXITSTATUS(status), 1) << read_file(output);
    EXPECT_NE(read_file(output).find("cancelling " + id), std::string::npos) << read_file(output);
    EXPECT_EQ(cli(home, {"task", "show", id, "--json"}).json().value("status", ""), "cancelled");
}

TEST(Coworkd, ControlPlanePortInUseIsAClearErrorAndTheKernelRuns) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(s, 1), 0);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    const std::string port = std::to_string(ntohs(a.sin_port));

    Home home;
    Daemon d(home, {}, {{"COWORK_CONTROL_PLANE_PORT", port}});
    ASSERT_TRUE(d.ready()) << "a busy port must not stop the kernel";
    EXPECT_GE(d.report()["plugins"].value("failed", 0), 1) << d.report().dump();
    EXPECT_EQ(::kill(d.pid(), 0), 0);
    EXPECT_EQ(d.stop(SIGTERM), 0);
    ::close(s);
    const std::string log = read_file(home.path() / "state/coworkd.log");
    EXPECT_NE(log.find("port " + port + " on 127.0.0.1 is already in use"), std::string::npos) << log.substr(0, 3000);
    EXPECT_NE(log.find("COWORK_CONTROL_PLANE_PORT"), std::string::npos);
}

TEST(CliCompletion, BashScriptIsValidAndCompletesFromTheCommandTable) {
    Home home;
    const e2e::Run bash_script = cli(home, {"completion", "bash"});
    ASSERT_EQ(bash_script.exit_code, 0) << bash_script.err;
    const fs::path file = home.path() / "cowork.bash";
    std::ofstream(file) << bash_script.out;
    EXPECT_EQ(run({"/bin/bash", "-n", file.string()}, home).exit_code, 0) << "bash -n rejects the script";

    const auto complete = [&](const std::string& words, int cword) {
        const std::string prog = "source " + file.string() + "; COMP_WORDS=(" + words + "); COMP_CWORD=" +
                                 std::to_string(cword) + "; _cowork; printf '%s\\n' \"${COMPREPLY[@]}\"";
        return run({"/bin/bash", "-c", prog}, home).out;
    };
    const std::string plugins = complete("cowork plugins ''", 2);
    EXPECT_NE(plugins.find("list\n"), std::string::npos) << plugins;
    EXPECT_NE(plugins.find("enable\n"), std::string::npos) << plugins;
    EXPECT_EQ(plugins.find("revoke"), std::string::npos) << plugins;
    const std::string top = complete("cowork cr", 1);
    EXPECT_EQ(top, "cron\n");
    const std::string option = complete("cowork run --appr", 2);
    EXPECT_NE(option.find("--approve-stdin"), std::string::npos) << option;

    const e2e::Run fish = cli(home, {"completion", "fish"});
    EXPECT_NE(fish.out.find("complete -c cowork -n '__fish_seen_subcommand_from devices' -a 'revoke'"), std::string::npos)
        << fish.out;
    const e2e::Run zsh = cli(home, {"completion", "zsh"});
    EXPECT_EQ(zsh.out.rfind("#compdef cowork", 0), 0u);
    EXPECT_EQ(cli(home, {"completion", "tcsh"}).exit_code, 2);
}

}  // namespace cowork::e2e
