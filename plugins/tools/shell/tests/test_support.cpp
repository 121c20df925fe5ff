#include "test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace cowork::shell::testing {

extern "C" const cowork_plugin_entry cowork_entry;

TempDir::TempDir(const fs::path& base, const std::string& prefix) {
    fs::create_directories(base);
    std::string templ = (base / (prefix + "XXXXXX")).string();
    if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed in " + base.string());
    path_ = fs::canonical(templ);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

FakeHost::FakeHost(Json config, std::string data_dir) : config_(std::move(config)), data_dir_(std::move(data_dir)) {
    log_ = {sizeof(cowork_log_v1), this, [](void* ctx, int32_t, const char* msg, size_t size) {
                static_cast<FakeHost*>(ctx)->logs_.emplace_back(msg, size);
            }};
    config_service_ = {sizeof(cowork_config_v1), this,
                       [](void* ctx, const char*, size_t, const cowork_sink* out) -> cowork_status {
                           sdk::write_result(out, static_cast<FakeHost*>(ctx)->config_);
                           return COWORK_OK;
                       }};
    host_ = {sizeof(cowork_host), COWORK_ABI_MAJOR, COWORK_ABI_MINOR, this, "tool.shell", data_dir_.c_str(), &get_service};
}

const void* FakeHost::get_service(void* ctx, const char* id) {
    auto* self = static_cast<FakeHost*>(ctx);
    if (std::string(id) == COWORK_SERVICE_LOG) return &self->log_;
    if (std::string(id) == COWORK_SERVICE_CONFIG) return &self->config_service_;
    return nullptr;
}

std::string CallResult::text() const {
    if (!body.contains("content") || body["content"].empty()) return "";
    return body["content"][0].value("text", "");
}

Harness::Harness(Json config) : workspace_(fs::temp_directory_path(), "cowork-ws-") {
    host_ = std::make_unique<FakeHost>(std::move(config), data_dir_.str());
    sdk::Collector err;
    cowork_status st = cowork_entry.create(host_->raw(), &plugin_, err.sink());
    err.throw_if(st, "create");
    st = plugin_->init(plugin_->self, err.sink());
    err.throw_if(st, "init");
    tools_ = static_cast<const cowork_tool_provider_v1*>(plugin_->get_interface(plugin_->self, COWORK_IFACE_TOOL_PROVIDER));
    if (!tools_) throw std::runtime_error("no tool-provider interface");
}

Harness::~Harness() {
    if (plugin_) plugin_->destroy(plugin_->self);
}

CallResult Harness::invoke(cowork_json_fn fn, const Json& request) {
    CallResult r;
    sdk::Collector c([&](std::string_view e) { r.events.push_back(Json::parse(e)); });
    const std::string text = request.dump();
    r.status = fn(tools_->self, text.data(), text.size(), c.sink());
    r.body = c.json();
    return r;
}

CallResult Harness::run(Json arguments, Json context, const std::string& call_id) {
    if (!context.contains("workspace")) context["workspace"] = workspace().string();
    if (!context.contains("network")) context["network"] = false;
    context["taskId"] = "task-1";
    return invoke(tools_->call_tool, {{"callId", call_id}, {"name", "run_command"}, {"arguments", arguments}, {"context", context}});
}

CallResult Harness::cancel(const std::string& call_id) { return invoke(tools_->cancel, {{"callId", call_id}}); }

CallResult Harness::call(const Json& raw_request) { return invoke(tools_->call_tool, raw_request); }

CallResult Harness::list_tools() { return invoke(tools_->list_tools, Json::object()); }

const Capabilities& machine_capabilities() {
    static const Capabilities caps = probe_capabilities(SandboxSettings{});
    return caps;
}

std::vector<int> processes_with_cmdline(const std::string& needle) {
    std::vector<int> out;
    for (const auto& e : fs::directory_iterator("/proc")) {
        const auto name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(e.path() / "stat");
        std::string line;
        std::getline(stat, line);
        const auto close = line.rfind(')');
        if (close == std::string::npos || close + 2 >= line.size() || line[close + 2] == 'Z') continue;
        std::ifstream f(e.path() / "cmdline", std::ios::binary);
        std::string cmd((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
        for (auto& c : cmd)
            if (c == '\0') c = ' ';
        if (cmd.find(needle) != std::string::npos) out.push_back(std::stoi(name));
    }
    return out;
}

std::vector<int> zombie_children() {
    std::vector<int> out;
    const int me = ::getpid();
    for (const auto& e : fs::directory_iterator("/proc")) {
        const auto name = e.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(e.path() / "stat");
        std::string line;
        std::getline(stat, line);
        const auto close = line.rfind(')');
        if (close == std::string::npos) continue;
        char state = 0;
        int ppid = 0;
        if (std::sscanf(line.c_str() + close + 2, "%c %d", &state, &ppid) == 2 && state == 'Z' && ppid == me)
            out.push_back(std::stoi(name));
    }
    return out;
}

LoopbackListener::LoopbackListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw std::runtime_error("cannot open a loopback listener");
    port_ = ntohs(addr.sin_port);
}

LoopbackListener::~LoopbackListener() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace cowork::shell::testing
