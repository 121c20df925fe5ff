// seccomp_filter.hpp — the syscall filter every sandboxed command runs under.
//
// Landlock confines files; seccomp closes what it cannot see: sockets (when
// network is off), kernel attack surface nobody's shell needs (bpf, kexec,
// modules, io_uring, perf, userfaultfd), ways to step outside the sandbox
// (ptrace, mount, new namespaces), TTY input injection (TIOCSTI), and — so
// that a timeout can kill everything — leaving the process group.
#pragma once

#include <linux/filter.h>

#include <vector>

namespace cowork::shell {

struct SeccompOptions {
    bool deny_network = true;       // socket() fails with EPERM (socketpair stays)
    bool pin_process_group = true;  // setsid()/setpgid() fail: a timeout's group kill reaches everyone
};

// The BPF program, or an empty vector on an architecture we do not support.
// Disallowed calls return EPERM (clone3: ENOSYS, so libc falls back to clone,
// whose namespace flags we can inspect); a foreign syscall ABI kills.
std::vector<sock_filter> build_seccomp_filter(const SeccompOptions& options);

// Whether this build knows the machine's syscall ABI.
bool seccomp_supported_arch();

}  // namespace cowork::shell
