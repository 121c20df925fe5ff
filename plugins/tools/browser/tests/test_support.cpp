#include "test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace cowork::browser::testing {

extern "C" const cowork_plugin_entry cowork_entry;

struct Harness::Host {
    Json config;
    std::string data_dir;
    cowork_log_v1 log{};
    cowork_config_v1 config_service{};
    cowork_host raw{};
};

Harness::Harness(Json config) : host_(std::make_unique<Host>()) {
    std::string templ = (fs::temp_directory_path() / "cowork-browser-ws-XXXXXX").string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp");
    workspace_ = fs::canonical(templ);
    host_->config = std::move(config);
    host_->data_dir = workspace_.string();
    host_->log = {sizeof(cowork_log_v1), nullptr, [](void*, int32_t, const char*, size_t) {}};
    host_->config_service = {sizeof(cowork_config_v1), host_.get(),
                             [](void* ctx, const char*, size_t, const cowork_sink* out) -> cowork_status {
                                 sdk::write_result(out, static_cast<Host*>(ctx)->config);
                                 return COWORK_OK;
                             }};
    host_->raw = {sizeof(cowork_host), COWORK_ABI_MAJOR, COWORK_ABI_MINOR, host_.get(), "tool.browser",
                  host_->data_dir.c_str(), [](void* ctx, const char* id) -> const void* {
                      auto* h = static_cast<Host*>(ctx);
                      if (std::string(id) == COWORK_SERVICE_LOG) return &h->log;
                      if (std::string(id) == COWORK_SERVICE_CONFIG) return &h->config_service;
                      return nullptr;
                  }};
    sdk::Collector err;
    err.throw_if(cowork_entry.create(&host_->raw, &plugin_, err.sink()), "create");
    err.throw_if(plugin_->init(plugin_->self, err.sink()), "init");
    tools_ = static_cast<const cowork_tool_provider_v1*>(plugin_->get_interface(plugin_->self, COWORK_IFACE_TOOL_PROVIDER));
}

Harness::~Harness() {
    if (plugin_) plugin_->destroy(plugin_->self);
    std::error_code ec;
    fs::remove_all(workspace_, ec);
}

Json Harness::call(const std::string& tool, const Json& args) {
    const Json req{{"callId", "c1"}, {"name", tool}, {"arguments", args},
                   {"context", {{"taskId", "t"}, {"workspace", workspace_.string()}}}};
    const std::string text = req.dump();
    sdk::Collector out;
    const cowork_status st = tools_->call_tool(tools_->self, text.data(), text.size(), out.sink());
    if (st != COWORK_OK) return {{"abiError", st}, {"error", out.json()}};
    return out.json();
}

std::string text_of(const Json& r) {
    std::string out;
    for (const auto& c : r.value("content", Json::array())) out += c.value("text", "");
    if (r.contains("error")) out += r["error"].dump();
    return out;
}
bool is_error(const Json& r) { return r.value("isError", false) || r.contains("abiError"); }

HttpServer::HttpServer(std::map<std::string, Response> routes) : routes_(std::move(routes)) {
    ::signal(SIGPIPE, SIG_IGN);
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0)
        throw std::runtime_error("listen failed");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread(&HttpServer::serve, this);
}

HttpServer::~HttpServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
}

void HttpServer::serve() {
    while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (c < 0) continue;
        std::string req;
        char buf[4096];
        while (req.find("\r\n\r\n") == std::string::npos) {
            pollfd cp{c, POLLIN, 0};
            if (::poll(&cp, 1, 2000) <= 0) break;
            const ssize_t n = ::read(c, buf, sizeof buf);
            if (n <= 0) break;
            req.append(buf, static_cast<size_t>(n));
        }
        std::istringstream line(req);
        std::string method, path;
        line >> method >> path;
        auto it = routes_.find(path);
        const Response r = it == routes_.end() ? Response{404, "not found", ""} : it->second;
        std::string head = "HTTP/1.1 " + std::to_string(r.status) + " X\r\nContent-Type: text/html; charset=utf-8\r\n" +
                           "Content-Length: " + std::to_string(r.body.size()) + "\r\nConnection: close\r\nCache-Control: no-store\r\n";
        if (!r.location.empty()) head += "Location: " + r.location + "\r\n";
        const std::string all = head + "\r\n" + r.body;
        [[maybe_unused]] ssize_t w = ::write(c, all.data(), all.size());
        ::close(c);
    }
}

std::vector<int> processes_with(const std::string& needle) {
    std::vector<int> out;
    for (const auto& e : fs::directory_iterator("/proc")) {
        const std::string name = e.path().filename();
        if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
        std::ifstream stat(e.path() / "stat");
        std::string s;
        std::getline(stat, s);
        const auto close = s.rfind(')');
        if (close == std::string::npos || close + 2 >= s.size() || s[close + 2] == 'Z') continue;
        std::ifstream cmd(e.path() / "cmdline", std::ios::binary);
        std::stringstream ss;
        ss << cmd.rdbuf();
        if (ss.str().find(needle) != std::string::npos) out.push_back(std::stoi(name));
    }
    return out;
}

bool group_alive(int pgid) { return ::kill(-pgid, 0) == 0; }

}  // namespace cowork::browser::testing
