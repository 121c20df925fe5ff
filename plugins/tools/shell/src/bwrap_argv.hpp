// bwrap_argv.hpp — the bubblewrap command line for one run_command call.
//
// A pure function of its inputs, so the layout can be unit-tested without
// spawning anything. The layout, in mount order (later mounts cover earlier):
//   /            read-only (the system: /usr, /etc, …)
//   /dev, /proc  fresh minimal devtmpfs and a procfs of the new PID namespace
//   /tmp, /home, /root, /run, /var/tmp, real $HOME, kernel data dirs
//                empty tmpfs: the user's files and sockets are simply absent
//   secrets      /etc/shadow & co. covered by /dev/null or an empty tmpfs
//   workspace    read-write, same path as outside (plus allowed roots)
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cowork::shell {

struct BwrapLayout {
    std::string bwrap = "/usr/bin/bwrap";
    std::vector<std::string> read_write;   // the workspace first, then extra allowed roots
    std::vector<std::string> hidden_dirs;  // covered by an empty tmpfs (must exist)
    std::vector<std::string> masked_files; // covered by /dev/null (must exist)
    std::vector<std::string> extra_read;   // re-exposed read-only after hiding (config read_paths)
    std::string cwd;                       // absolute, inside the workspace
    std::string home = "/tmp/.cowork-home";  // private, on the sandbox's /tmp tmpfs
    bool network = false;                  // true: share the host network namespace
    std::optional<int> seccomp_fd;         // a compiled BPF program bwrap loads before exec
};

// argv for execve: bwrap …options… -- /bin/sh -c <command>
std::vector<std::string> build_bwrap_argv(const BwrapLayout& layout, const std::string& command);

// The probe: the smallest invocation that proves namespaces work here.
std::vector<std::string> bwrap_probe_argv(const std::string& bwrap);

// System files never shown inside the sandbox even though / is visible.
std::vector<std::string> default_masked_files();
// Directories holding other people's data (home dirs, runtime sockets).
std::vector<std::string> default_hidden_dirs();

}  // namespace cowork::shell
