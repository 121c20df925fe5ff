// cowork_bench_net [small-requests] [big-fetches]
// Fetch throughput of net::HttpClient from the scripted server on 127.0.0.1:
// requests/s for 1 KiB bodies (a new connection each, as the client does)
// and MB/s streaming a 32 MiB body, over plain HTTP and TLS. Client and
// server share the machine's cores, so these are lower bounds.
#include "net/http_client.hpp"

#include "support/scripted_http_server.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

using namespace cowork::kernel::net;
using cowork::testing::RecordedRequest;
using cowork::testing::ScriptedResponse;
using cowork::testing::ScriptedServer;
using cowork::testing::TlsIdentity;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kBigChunk = 1 << 20;
constexpr size_t kBigChunks = 32;

void serve(ScriptedServer& server) {
    server.route("GET", "/small", [](const RecordedRequest&) {
        ScriptedResponse r;
        r.chunks = {std::string(1024, 's')};
        return r;
    });
    const std::string mib(kBigChunk, 'b');
    server.route("GET", "/big", [mib](const RecordedRequest&) {
        ScriptedResponse r;
        r.chunks.assign(kBigChunks, mib);
        return r;
    });
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

bool run(const char* label, ScriptedServer& server, HttpClient& client, int small, int big) {
    HttpRequest req;
    req.url = server.base_url() + "/small";
    auto t = Clock::now();
    for (int i = 0; i < small; ++i) {
        auto r = client.fetch(req);
        if (!r || r->body.size() != 1024) {
            std::fprintf(stderr, "%s: small fetch failed: %s\n", label, r ? "short body" : r.error().message.c_str());
            return false;
        }
    }
    const double rps = small / seconds_since(t);

    req.url = server.base_url() + "/big";
    uint64_t bytes = 0;
    t = Clock::now();
    for (int i = 0; i < big; ++i) {
        auto r = client.fetch(req, [&](std::string_view c) { bytes += c.size(); });
        if (!r) {
            std::fprintf(stderr, "%s: big fetch failed: %s\n", label, r.error().message.c_str());
            return false;
        }
    }
    const double mbps = static_cast<double>(bytes) / (1 << 20) / seconds_since(t);
    std::printf("%-6s %8.0f requests/s (1 KiB, %d sequential)   %8.1f MB/s (%zu MiB body x %d, streamed)\n", label,
                rps, small, mbps, kBigChunks, big);
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const int small = argc > 1 ? std::atoi(argv[1]) : 2000;
    const int big = argc > 2 ? std::atoi(argv[2]) : 8;

    ScriptedServer plain;
    serve(plain);
    HttpClient plain_client;
    if (!run("http", plain, plain_client, small, big)) return 1;

    const auto id = TlsIdentity::self_signed();
    ScriptedServer tls(id);
    serve(tls);
    HttpClient tls_client(ClientOptions{.extra_ca_pem = id.ca_pem, .system_ca = false});
    if (!run("https", tls, tls_client, small, big)) return 1;
    return 0;
}
