// cowork-plugin-host — runs one plugin library out of the kernel's process.
//
// The kernel spawns this with one end of a socketpair as --fd and relays the
// plugin's C calls over it (kernel/process/PROTOCOL.md). A crash here takes
// down only this process. The kernel has verified the library (hash or
// signature) before spawning us. We exit as soon as the kernel goes away:
// EOF on the socket, or SIGKILL via PR_SET_PDEATHSIG.
#include "library.hpp"
#include "plugin_server.hpp"

#include "process/endpoint.hpp"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

namespace {

constexpr const char* kUsage =
    "usage: cowork-plugin-host --fd N --library PATH --plugin-id ID\n"
    "\n"
    "Runs one CoWork plugin library in its own process for the kernel, relaying\n"
    "its C ABI calls as length-prefixed JSON-RPC over the inherited socket N.\n"
    "Started by the kernel for plugins whose manifest says runtime.kind \"process\";\n"
    "not meant to be run by hand. Exits when the kernel closes the socket.\n";

struct Arguments {
    int fd = -1;
    std::string library;
    std::string plugin_id;
};

std::optional<Arguments> parse(int argc, char** argv, bool& help) {
    Arguments args;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--help" || flag == "-h") {
            help = true;
            return std::nullopt;
        }
        if (i + 1 >= argc) return std::nullopt;
        const char* value = argv[++i];
        if (flag == "--fd")
            args.fd = std::atoi(value);
        else if (flag == "--library")
            args.library = value;
        else if (flag == "--plugin-id")
            args.plugin_id = value;
        else
            return std::nullopt;
    }
    if (args.fd < 0 || args.library.empty() || args.plugin_id.empty()) return std::nullopt;
    struct stat st {};
    if (::fstat(args.fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return std::nullopt;
    return args;
}

}  // namespace

int main(int argc, char** argv) {
    bool help = false;
    const auto args = parse(argc, argv, help);
    if (help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (!args) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    // Die with the kernel even if something keeps our socket open.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    std::signal(SIGPIPE, SIG_IGN);

    using namespace cowork;
    plugin_host::PluginServer server(args->plugin_id, plugin_host::load_plugin(args->library, args->plugin_id));
    kernel::process::Endpoint::Handlers handlers;
    handlers.on_request = [&server](const std::string& method, const kernel::process::Json& params,
                                    const kernel::process::Endpoint::EventFn& emit) {
        return server.handle_request(method, params, emit);
    };
    handlers.on_notification = [&server](const std::string& method, const kernel::process::Json& params) {
        server.handle_notification(method, params);
    };
    kernel::process::Endpoint kernel_link(args->fd, std::move(handlers));
    server.attach(kernel_link);
    kernel_link.start();
    const std::string reason = kernel_link.wait_closed();
    if (reason != "connection closed")
        std::fprintf(stderr, "cowork-plugin-host[%s]: link to the kernel ended: %s\n", args->plugin_id.c_str(),
                     reason.c_str());
    std::fflush(stderr);
    // Plugin threads may still be running (a hung call): leave without
    // running destructors under them.
    ::_exit(0);
}
