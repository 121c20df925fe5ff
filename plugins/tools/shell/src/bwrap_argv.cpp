#include "bwrap_argv.hpp"

namespace cowork::shell {

namespace {

void add(std::vector<std::string>& argv, std::initializer_list<std::string> items) {
    argv.insert(argv.end(), items.begin(), items.end());
}

}  // namespace

std::vector<std::string> default_masked_files() {
    return {"/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/sudoers",
            "/etc/security/opasswd"};
}

std::vector<std::string> default_hidden_dirs() {
    // /run holds the docker, D-Bus and systemd sockets; /tmp and /var/tmp other
    // processes' scratch files; /home and /root everyone's secrets.
    return {"/home", "/root", "/run", "/var/tmp", "/var/lib/cowork", "/etc/sudoers.d", "/etc/ssl/private",
            "/etc/credstore", "/etc/credstore.encrypted", "/var/lib/private", "/var/spool"};
}

std::vector<std::string> build_bwrap_argv(const BwrapLayout& l, const std::string& command) {
    std::vector<std::string> argv{l.bwrap};
    // Namespaces: user (when possible), pid, ipc, uts, cgroup, and net unless allowed.
    add(argv, {"--unshare-all"});
    if (l.network) add(argv, {"--share-net"});
    add(argv, {"--die-with-parent", "--new-session", "--cap-drop", "ALL", "--hostname", "cowork-sandbox"});

    add(argv, {"--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"});
    for (const auto& d : l.hidden_dirs) add(argv, {"--tmpfs", d});
    for (const auto& f : l.masked_files) add(argv, {"--ro-bind", "/dev/null", f});
    for (const auto& p : l.extra_read) add(argv, {"--ro-bind", p, p});
    for (const auto& p : l.read_write) add(argv, {"--bind", p, p});
    add(argv, {"--dir", l.home, "--chdir", l.cwd.empty() ? "/" : l.cwd});
    if (l.seccomp_fd) add(argv, {"--seccomp", std::to_string(*l.seccomp_fd)});
    add(argv, {"--", "/bin/sh", "-c", command});
    return argv;
}

std::vector<std::string> bwrap_probe_argv(const std::string& bwrap) {
    return {bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/", "/", "--dev", "/dev",
            "--proc", "/proc", "--tmpfs", "/tmp", "--", "/bin/true"};
}

}  // namespace cowork::shell
