#include "remote/listener.hpp"

#include <cerrno>
#include <csignal>
#include <fstream>

namespace cowork::kernel::remote {

std::filesystem::path listener_file(const std::filesystem::path& data_dir) {
    return data_dir / "plugin-data" / "frontend.control-plane" / "listener.json";
}

Result<Listener> find_listener(const std::filesystem::path& data_dir) {
    Listener l;
    l.file = listener_file(data_dir);
    std::ifstream in(l.file);
    if (!in)
        return make_error("unavailable", "no coworkd is serving the control plane for " + data_dir.string() + " (no " +
                                             l.file.string() + "): start coworkd, or enable its control plane with "
                                             "`cowork plugins enable frontend.control-plane`");
    const Json j = Json::parse(in, nullptr, false);
    if (!j.is_object() || !j["url"].is_string() || !j["pid"].is_number_integer())
        return make_error("unavailable", l.file.string() + " is unreadable; restart coworkd to rewrite it");
    l.url = j["url"];
    l.token_file = j.value("tokenFile", "");
    l.pid = j["pid"];
    // A coworkd killed with -9 leaves its listener.json behind.
    if (l.pid <= 0 || (::kill(static_cast<pid_t>(l.pid), 0) != 0 && errno != EPERM))
        return make_error("unavailable", "coworkd (pid " + std::to_string(l.pid) + ", " + l.url +
                                             ") is no longer running; start it again");
    auto endpoint = parse_ws_url(l.url);
    if (!endpoint) return make_error("unavailable", l.file.string() + ": " + endpoint.error().message);
    l.endpoint = *endpoint;
    l.endpoint.cert_sha256 = j.value("certSha256", "");
    return l;
}

}  // namespace cowork::kernel::remote
