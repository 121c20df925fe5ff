// sandbox.hpp — which confinement a command runs under, and preparing it.
//
// Mechanisms, strongest first:
//   bubblewrap        namespaces: the command sees a read-only system, its
//                     workspace and nothing else of the user's; no network
//                     namespace peers unless network is allowed.
//   landlock+seccomp  the kernel's unprivileged LSM: writes only to the
//                     workspace and a private tmp, reads only system dirs;
//                     seccomp blocks sockets (network off) and escape hatches.
//   none              limits (time, output, env scrub) only. Refused unless
//                     the config says allow_unsandboxed = true.
#pragma once

#include "landlock.hpp"
#include "process_runner.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cowork::shell {

enum class Mechanism { Bubblewrap, Landlock, None };
const char* mechanism_name(Mechanism m);

struct SandboxSettings {
    std::string requested = "auto";  // auto | bubblewrap | landlock | none
    bool allow_unsandboxed = false;
    std::string bwrap_path;                // empty: look in /usr/bin, /usr/local/bin, /bin
    std::vector<std::string> read_paths;   // extra read-only paths (toolchains in odd places)
    std::string data_dir;                  // the plugin's own directory, for private homes
};

// What this machine can actually do, established by running real probes.
struct Capabilities {
    std::string bwrap_path;   // empty: not installed
    bool bwrap_works = false;
    std::string bwrap_detail;
    int landlock_abi = 0;
    bool landlock_works = false;
    std::string landlock_detail;
};
Capabilities probe_capabilities(const SandboxSettings& settings);

// The mechanism to use, or why commands are refused.
struct SandboxChoice {
    std::optional<Mechanism> mechanism;
    std::string refusal;  // set when mechanism is empty
};
SandboxChoice choose_mechanism(const SandboxSettings& settings, const Capabilities& caps);

// The `status` object in list_tools (shown by `cowork doctor`).
nlohmann::json describe_sandbox(const SandboxSettings& settings, const Capabilities& caps,
                                const SandboxChoice& choice);

struct CommandRequest {
    std::string command;
    std::filesystem::path workspace;               // canonical
    std::vector<std::filesystem::path> rw_roots;   // canonical, extra allowed roots
    std::filesystem::path cwd;                     // canonical, inside the workspace
    bool network = false;
    nlohmann::json extra_env;                      // the model's env object (may be null)
};

// Everything one spawn needs, owning the resources the SpawnSpec points to
// (ruleset fd, seccomp program, private home) until the command has ended.
class PreparedCommand {
public:
    ~PreparedCommand();
    PreparedCommand(const PreparedCommand&) = delete;
    PreparedCommand& operator=(const PreparedCommand&) = delete;

    const SpawnSpec& spec() const noexcept { return spec_; }
    Mechanism mechanism() const noexcept { return mechanism_; }
    const std::vector<std::string>& dropped_env() const noexcept { return dropped_env_; }

    static std::unique_ptr<PreparedCommand> prepare(Mechanism m, const CommandRequest& request,
                                                    const SandboxSettings& settings);

private:
    PreparedCommand() = default;
    void prepare_bubblewrap(const CommandRequest& r, const SandboxSettings& s);
    void prepare_landlock(const CommandRequest& r, const SandboxSettings& s);
    void prepare_none(const CommandRequest& r, const SandboxSettings& s);
    void make_private_dir(const SandboxSettings& s);

    Mechanism mechanism_ = Mechanism::None;
    SpawnSpec spec_;
    std::vector<std::string> dropped_env_;
    LandlockRuleset ruleset_;
    std::vector<sock_filter> filter_;
    int seccomp_fd_ = -1;
    std::filesystem::path private_dir_;
};

// Paths Landlock grants read/execute on: system dirs plus /etc minus secrets.
std::vector<std::string> landlock_system_read_paths();

}  // namespace cowork::shell
