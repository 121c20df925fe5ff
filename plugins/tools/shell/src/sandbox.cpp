#include "sandbox.hpp"

#include "bwrap_argv.hpp"
#include "env_scrub.hpp"
#include "seccomp_filter.hpp"

#include <cowork/sdk/error.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace cowork::shell {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kSandboxHome = "/tmp/.cowork-home";

bool exists(const std::string& p) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(p, ec));
}

std::vector<std::string> existing(const std::vector<std::string>& paths) {
    std::vector<std::string> out;
    std::copy_if(paths.begin(), paths.end(), std::back_inserter(out), exists);
    return out;
}

// Private SSH host keys are as secret as /etc/shadow.
std::vector<std::string> ssh_host_private_keys() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/etc/ssh", ec)) {
        const auto name = e.path().filename().string();
        if (name.rfind("ssh_host_", 0) == 0 && name.ends_with("_key")) out.push_back(e.path().string());
    }
    return out;
}

std::vector<std::string> masked_files() {
    auto files = default_masked_files();
    for (auto& k : ssh_host_private_keys()) files.push_back(std::move(k));
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& f : files)
        if (fs::is_regular_file(fs::symlink_status(f, ec))) out.push_back(f);
    return out;
}

// Directories we hide, plus the real user's home and our own data directory.
std::vector<std::string> hidden_dirs(const SandboxSettings& s) {
    auto dirs = default_hidden_dirs();
    if (const char* home = ::getenv("HOME"); home && *home && std::string(home) != "/") dirs.emplace_back(home);
    if (!s.data_dir.empty()) dirs.push_back(s.data_dir);
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& d : dirs)
        if (fs::is_directory(fs::symlink_status(d, ec))) out.push_back(d);
    return out;
}

// Grant `dir` entry by entry, leaving out `excluded` paths; descend only
// into directories that contain an excluded path.
void expand_excluding(const fs::path& dir, const std::set<std::string>& excluded, std::vector<std::string>& out) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string p = e.path().string();
        if (excluded.count(p)) continue;
        const bool contains_excluded = std::any_of(excluded.begin(), excluded.end(),
                                                   [&](const std::string& x) { return x.rfind(p + "/", 0) == 0; });
        if (contains_excluded && e.is_directory(ec) && !e.is_symlink(ec)) expand_excluding(e.path(), excluded, out);
        else out.push_back(p);
    }
}

std::string find_bwrap(const SandboxSettings& s) {
    if (!s.bwrap_path.empty()) return ::access(s.bwrap_path.c_str(), X_OK) == 0 ? s.bwrap_path : "";
    // Fixed locations, not $PATH: a writable PATH entry must not pick our sandbox.
    for (const char* p : {"/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"})
        if (::access(p, X_OK) == 0) return p;
    return "";
}

struct ProbeResult {
    bool ok = false;
    std::string detail;
};

ProbeResult run_probe(SpawnSpec spec) {
    spec.envp = {"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
    RunLimits limits;
    limits.timeout = std::chrono::milliseconds(10'000);
    limits.kill_grace = std::chrono::milliseconds(0);
    limits.output_limit = 4096;
    CancelSignal never;
    try {
        const auto r = run_process(spec, limits, never, {});
        if (r.exit_code == 0 && !r.timed_out) return {true, "works"};
        std::string out = r.output;
        while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
        return {false, "probe exited with " + std::to_string(r.exit_code) + (out.empty() ? "" : ": " + out)};
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

LandlockPolicy base_landlock_policy(bool network) {
    LandlockPolicy p;
    p.read_exec = landlock_system_read_paths();
    p.device_rw = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};
    p.deny_tcp = !network;
    if (network && exists("/run/systemd/resolve")) p.read_exec.push_back("/run/systemd/resolve");  // DNS stub
    return p;
}

json text_list(std::initializer_list<const char*> items) { return json(std::vector<std::string>(items.begin(), items.end())); }

}  // namespace

const char* mechanism_name(Mechanism m) {
    switch (m) {
    case Mechanism::Bubblewrap: return "bubblewrap";
    case Mechanism::Landlock: return "landlock+seccomp";
    case Mechanism::None: return "none";
    }
    return "none";
}

std::vector<std::string> landlock_system_read_paths() {
    std::vector<std::string> paths{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/proc", "/sys"};
    std::set<std::string> excluded;
    for (const auto& f : masked_files()) excluded.insert(f);
    for (const auto& d : default_hidden_dirs())
        if (d.rfind("/etc/", 0) == 0) excluded.insert(d);
    expand_excluding("/etc", excluded, paths);
    return existing(paths);
}

// ----------------------------------------------------------------- probes --

Capabilities probe_capabilities(const SandboxSettings& settings) {
    Capabilities caps;
    caps.bwrap_path = find_bwrap(settings);
    if (caps.bwrap_path.empty()) {
        caps.bwrap_detail = "bwrap not installed (apt-get install bubblewrap)";
    } else {
        SpawnSpec spec;
        spec.argv = bwrap_probe_argv(caps.bwrap_path);
        const auto r = run_probe(spec);
        caps.bwrap_works = r.ok;
        caps.bwrap_detail = r.ok ? "works" : r.detail + " (are user namespaces disabled?)";
    }

    caps.landlock_abi = landlock_abi_version();
    if (caps.landlock_abi < 1) {
        caps.landlock_detail = "Landlock unavailable (kernel < 5.13 or LSM not enabled)";
    } else if (!seccomp_supported_arch()) {
        caps.landlock_detail = "seccomp filter not implemented for this CPU architecture";
    } else {
        try {
            auto ruleset = LandlockRuleset::build(base_landlock_policy(false));
            const auto filter = build_seccomp_filter({});
            SpawnSpec spec;
            spec.argv = {"/bin/sh", "-c", "true"};
            spec.confinement.no_new_privs = true;
            spec.confinement.drop_capabilities = ::geteuid() == 0;
            spec.confinement.landlock_ruleset_fd = ruleset.fd();
            spec.confinement.seccomp = &filter;
            const auto r = run_probe(spec);
            caps.landlock_works = r.ok;
            caps.landlock_detail = r.ok ? "works (ABI " + std::to_string(caps.landlock_abi) + ")" : r.detail;
        } catch (const std::exception& e) {
            caps.landlock_detail = e.what();
        }
    }
    return caps;
}

SandboxChoice choose_mechanism(const SandboxSettings& s, const Capabilities& caps) {
    const std::string why_none = "bubblewrap: " + caps.bwrap_detail + "; landlock: " + caps.landlock_detail;
    if (s.requested == "bubblewrap") {
        if (caps.bwrap_works) return {Mechanism::Bubblewrap, ""};
        return {std::nullopt, "sandbox = \"bubblewrap\" is configured but bubblewrap does not work here: " + caps.bwrap_detail};
    }
    if (s.requested == "landlock") {
        if (caps.landlock_works) return {Mechanism::Landlock, ""};
        return {std::nullopt, "sandbox = \"landlock\" is configured but Landlock+seccomp does not work here: " +
                                  caps.landlock_detail};
    }
    if (s.requested == "none") {
        if (s.allow_unsandboxed) return {Mechanism::None, ""};
        return {std::nullopt, "sandbox = \"none\" is configured but allow_unsandboxed is not true: refusing to run "
                              "commands without a sandbox"};
    }
    if (s.requested != "auto")
        return {std::nullopt, "unknown sandbox setting \"" + s.requested + "\" (use auto, bubblewrap, landlock or none)"};
    if (caps.bwrap_works) return {Mechanism::Bubblewrap, ""};
    if (caps.landlock_works) return {Mechanism::Landlock, ""};
    if (s.allow_unsandboxed) return {Mechanism::None, ""};
    return {std::nullopt, "no sandbox works on this machine (" + why_none +
                              "); commands are refused. Install bubblewrap, or set allow_unsandboxed = true "
                              "to run them unconfined"};
}

json describe_sandbox(const SandboxSettings& s, const Capabilities& caps, const SandboxChoice& choice) {
    json status{{"requested", s.requested},
                {"allowUnsandboxed", s.allow_unsandboxed},
                {"ready", choice.mechanism.has_value()},
                {"available",
                 {{"bubblewrap", {{"path", caps.bwrap_path}, {"works", caps.bwrap_works}, {"detail", caps.bwrap_detail}}},
                  {"landlock",
                   {{"abi", caps.landlock_abi}, {"works", caps.landlock_works}, {"detail", caps.landlock_detail}}}}}};
    if (!choice.mechanism) {
        status["mechanism"] = "none";
        status["refusal"] = choice.refusal;
        status["guarantees"] = text_list({"run_command refuses every call until a sandbox works or "
                                          "allow_unsandboxed = true"});
        status["limitations"] = json::array();
        return status;
    }
    status["mechanism"] = mechanism_name(*choice.mechanism);
    switch (*choice.mechanism) {
    case Mechanism::Bubblewrap:
        status["guarantees"] = text_list({
            "writes only to the workspace (and allowed roots); / is read-only, /tmp is a private tmpfs dropped after the call",
            "/home, /root, /run, /var/tmp, the real $HOME and this plugin's data dir are empty; /etc/shadow, sudoers, SSH host keys masked",
            "no network unless the task allows it (own network namespace: not even the host's loopback)",
            "own PID namespace: cannot see or signal host processes; nothing outlives the command",
            "no capabilities; seccomp blocks ptrace, mount, new namespaces, bpf, kexec, modules, io_uring, TIOCSTI",
            "environment rebuilt from an allowlist; secret-looking variables dropped"});
        status["limitations"] = text_list({
            "the rest of the system (/usr, /etc, /opt, /var) is readable",
            "network, when allowed, is the host's full network including services on 127.0.0.1",
            "no CPU, memory or disk quotas (no cgroups): a command can exhaust resources until its timeout",
            "a kernel vulnerability is not contained"});
        break;
    case Mechanism::Landlock:
        status["guarantees"] = text_list({
            "writes only to the workspace (and allowed roots) and a private HOME/TMPDIR deleted after the call",
            "reads only /usr, /bin, /lib*, /opt, /proc, /sys, /etc (minus shadow, sudoers, SSH host keys) and the workspace: home dirs, /tmp, /run, /var are unreadable",
            "network off: socket() fails (seccomp), and TCP bind/connect is denied by Landlock on ABI >= 4",
            "cannot leave its process group, so timeout and cancel kill every process it started",
            "no capabilities even as root; no_new_privs; seccomp blocks ptrace, mount, namespaces, bpf, kexec, modules, io_uring, TIOCSTI",
            "ABI >= 6: cannot signal processes outside the sandbox or reach abstract unix sockets",
            "environment rebuilt from an allowlist; secret-looking variables dropped"});
        status["limitations"] = text_list({
            "host processes are listed in /proc (their memory and environment are not readable)",
            "network, when allowed, is unrestricted, including unix sockets reachable by path (e.g. /run/docker.sock)",
            "/tmp is the host's (unreadable, unwritable), not a private mount; TMPDIR points to the private dir",
            "no CPU, memory or disk quotas: a command can exhaust resources until its timeout",
            "a kernel vulnerability is not contained"});
        break;
    case Mechanism::None:
        status["guarantees"] = text_list({"timeout, output cap, environment scrub and blocked patterns only"});
        status["limitations"] = text_list({"UNSANDBOXED: a command can read and write everything the CoWork "
                                           "process can, and use the network"});
        break;
    }
    return status;
}

// ------------------------------------------------------------ preparation --

PreparedCommand::~PreparedCommand() {
    if (seccomp_fd_ >= 0) ::close(seccomp_fd_);
    if (!private_dir_.empty()) {
        std::error_code ec;
        fs::remove_all(private_dir_, ec);
    }
}

std::unique_ptr<PreparedCommand> PreparedCommand::prepare(Mechanism m, const CommandRequest& r,
                                                          const SandboxSettings& s) {
    std::unique_ptr<PreparedCommand> p(new PreparedCommand());
    p->mechanism_ = m;
    switch (m) {
    case Mechanism::Bubblewrap: p->prepare_bubblewrap(r, s); break;
    case Mechanism::Landlock: p->prepare_landlock(r, s); break;
    case Mechanism::None: p->prepare_none(r, s); break;
    }
    return p;
}

void PreparedCommand::make_private_dir(const SandboxSettings& s) {
    const fs::path base = s.data_dir.empty() ? fs::temp_directory_path() / "cowork-shell" : fs::path(s.data_dir) / "run";
    std::error_code ec;
    fs::create_directories(base, ec);
    std::string templ = (base / "call-XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw sdk::failed("run_command: cannot create a private directory in " + base.string() +
                                                    ": " + std::strerror(errno));
    private_dir_ = templ;
    fs::create_directory(private_dir_ / "home");
    fs::create_directory(private_dir_ / "tmp");
}

void PreparedCommand::prepare_bubblewrap(const CommandRequest& r, const SandboxSettings& s) {
    auto env = scrub_environment(environ, kSandboxHome, "/tmp", r.extra_env);
    dropped_env_ = env.dropped;
    spec_.envp = env.to_envp();

    BwrapLayout layout;
    layout.bwrap = find_bwrap(s);
    layout.read_write.push_back(r.workspace.string());
    for (const auto& root : r.rw_roots) layout.read_write.push_back(root.string());
    layout.hidden_dirs = hidden_dirs(s);
    layout.masked_files = masked_files();
    layout.extra_read = existing(s.read_paths);
    if (r.network && exists("/run/systemd/resolve")) layout.extra_read.push_back("/run/systemd/resolve");
    layout.cwd = r.cwd.string();
    layout.home = kSandboxHome;
    layout.network = r.network;

    // bwrap reads the compiled filter from a descriptor and loads it last,
    // just before exec'ing the command. The namespaces already contain the
    // network and the process tree, so only the escape hatches are filtered.
    filter_ = build_seccomp_filter({.deny_network = false, .pin_process_group = false});
    if (!filter_.empty()) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) throw sdk::failed("run_command: pipe2 failed");
        const auto bytes = filter_.size() * sizeof(sock_filter);
        const bool written = ::write(fds[1], filter_.data(), bytes) == static_cast<ssize_t>(bytes);
        ::close(fds[1]);
        seccomp_fd_ = fds[0];
        if (!written) throw sdk::failed("run_command: could not hand the seccomp filter to bwrap");
        layout.seccomp_fd = seccomp_fd_;
        spec_.confinement.inherit_fds.push_back(seccomp_fd_);
    }
    spec_.argv = build_bwrap_argv(layout, r.command);
}

void PreparedCommand::prepare_landlock(const CommandRequest& r, const SandboxSettings& s) {
    make_private_dir(s);
    auto env = scrub_environment(environ, (private_dir_ / "home").string(), (private_dir_ / "tmp").string(), r.extra_env);
    dropped_env_ = env.dropped;
    spec_.envp = env.to_envp();

    LandlockPolicy policy = base_landlock_policy(r.network);
    for (const auto& p : existing(s.read_paths)) policy.read_exec.push_back(p);
    policy.read_write.push_back(r.workspace.string());
    for (const auto& root : r.rw_roots) policy.read_write.push_back(root.string());
    policy.read_write.push_back(private_dir_.string());
    try {
        ruleset_ = LandlockRuleset::build(policy);
    } catch (const std::exception& e) {
        throw sdk::failed(std::string("run_command: cannot build the Landlock ruleset: ") + e.what());
    }
    filter_ = build_seccomp_filter({.deny_network = !r.network, .pin_process_group = true});

    spec_.argv = {"/bin/sh", "-c", r.command};
    spec_.cwd = r.cwd.string();
    spec_.confinement.no_new_privs = true;
    spec_.confinement.drop_capabilities = ::geteuid() == 0;
    spec_.confinement.landlock_ruleset_fd = ruleset_.fd();
    spec_.confinement.seccomp = &filter_;
}

void PreparedCommand::prepare_none(const CommandRequest& r, const SandboxSettings& s) {
    make_private_dir(s);
    auto env = scrub_environment(environ, (private_dir_ / "home").string(), (private_dir_ / "tmp").string(), r.extra_env);
    dropped_env_ = env.dropped;
    spec_.envp = env.to_envp();
    spec_.argv = {"/bin/sh", "-c", r.command};
    spec_.cwd = r.cwd.string();
    spec_.confinement.no_new_privs = true;
}

}  // namespace cowork::shell
