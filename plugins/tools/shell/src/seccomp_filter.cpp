#include "seccomp_filter.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstddef>

namespace cowork::shell {

namespace {

#if defined(__x86_64__)
constexpr unsigned kArch = AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kArch = AUDIT_ARCH_AARCH64;
#else
constexpr unsigned kArch = 0;
#endif

#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

// Offsets into struct seccomp_data; argument words read as their low 32 bits
// (both supported architectures are little-endian).
constexpr unsigned kNr = offsetof(seccomp_data, nr);
constexpr unsigned kArchOff = offsetof(seccomp_data, arch);
constexpr unsigned arg_low(int i) { return offsetof(seccomp_data, args) + 8 * i; }

// Syscalls a workspace command never needs and that widen the kernel attack
// surface or reach outside the sandbox.
const long kAlwaysDenied[] = {
    SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev,
    SYS_kexec_load, SYS_kexec_file_load, SYS_reboot,
    SYS_init_module, SYS_finit_module, SYS_delete_module,
    SYS_bpf, SYS_perf_event_open, SYS_userfaultfd,
    SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register,  // bypasses seccomp argument checks
    SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot,
    SYS_move_mount, SYS_open_tree, SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick,
#ifdef SYS_mount_setattr
    SYS_mount_setattr,
#endif
    SYS_setns, SYS_unshare,
    SYS_keyctl, SYS_add_key, SYS_request_key,
    SYS_open_by_handle_at, SYS_name_to_handle_at,
    SYS_swapon, SYS_swapoff, SYS_acct, SYS_quotactl, SYS_syslog, SYS_vhangup,
    SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime, SYS_adjtimex,
#ifdef SYS_iopl
    SYS_iopl,
#endif
#ifdef SYS_ioperm
    SYS_ioperm,
#endif
#ifdef SYS_uselib
    SYS_uselib,
#endif
};

constexpr unsigned kNamespaceFlags =
    CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;

// A tiny assembler: jumps to the shared DENY / ALLOW returns are recorded and
// patched once their positions are known.
class Program {
public:
    void stmt(unsigned short code, unsigned k) { code_.push_back(BPF_STMT(code, k)); }
    // if (A == k) goto DENY
    void deny_if_eq(unsigned k) { jump_to(deny_, BPF_JMP | BPF_JEQ | BPF_K, k); }
    void deny_if_any_bit(unsigned k) { jump_to(deny_, BPF_JMP | BPF_JSET | BPF_K, k); }
    void deny_if_ge(unsigned k) { jump_to(deny_, BPF_JMP | BPF_JGE | BPF_K, k); }
    // if (A != k) skip `n` instructions
    void skip_unless_eq(unsigned k, unsigned char n) { code_.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, 0, n)); }
    std::size_t size() const { return code_.size(); }

    std::vector<sock_filter> finish() {
        const std::size_t deny_at = code_.size();
        stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA));
        for (std::size_t at : deny_) code_[at].jt = static_cast<unsigned char>(deny_at - at - 1);
        return std::move(code_);
    }

private:
    void jump_to(std::vector<std::size_t>& list, unsigned short code, unsigned k) {
        list.push_back(code_.size());
        code_.push_back(BPF_JUMP(code, k, 0, 0));
    }
    std::vector<sock_filter> code_;
    std::vector<std::size_t> deny_;
};

}  // namespace

bool seccomp_supported_arch() { return kArch != 0; }

std::vector<sock_filter> build_seccomp_filter(const SeccompOptions& options) {
    if (!seccomp_supported_arch()) return {};
    Program p;
    p.stmt(BPF_LD | BPF_W | BPF_ABS, kArchOff);
    p.skip_unless_eq(kArch, 1);
    p.stmt(BPF_JMP | BPF_JA, 1);                                  // arch ok: skip the kill
    p.stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    p.stmt(BPF_LD | BPF_W | BPF_ABS, kNr);
#if defined(__x86_64__)
    p.deny_if_ge(0x40000000);                                     // x32 ABI numbers alias ours
#endif
    for (long nr : kAlwaysDenied) p.deny_if_eq(static_cast<unsigned>(nr));
    if (options.deny_network) p.deny_if_eq(SYS_socket);
    if (options.pin_process_group) {
        p.deny_if_eq(SYS_setsid);
        p.deny_if_eq(SYS_setpgid);
    }

    // clone3 passes flags in memory we cannot read: answer ENOSYS so libc
    // retries with clone, whose flags we can check.
    p.skip_unless_eq(SYS_clone3, 1);
    p.stmt(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);

    // clone: no new namespaces (flags are the first argument on x86_64 and arm64).
    p.skip_unless_eq(SYS_clone, 3);
    p.stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(0));
    p.deny_if_any_bit(kNamespaceFlags);
    p.stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

    // ioctl: no typing into the terminal of whoever started the kernel. The
    // tty layer reads cmd as 32 bits, so the low word is the right check.
    p.skip_unless_eq(SYS_ioctl, 4);
    p.stmt(BPF_LD | BPF_W | BPF_ABS, arg_low(1));
    p.deny_if_eq(TIOCSTI);
    p.deny_if_eq(TIOCLINUX);
    p.stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

    p.stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    return p.finish();
}

}  // namespace cowork::shell
