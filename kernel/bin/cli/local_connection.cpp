#include "bin/cli/local_connection.hpp"

#include <cstdlib>
#include <thread>

namespace cowork::kernel::cli {

LocalConnection::~LocalConnection() {
    if (kernel_) kernel_->shutdown();
}

Result<app::Kernel*> LocalConnection::kernel() {
    if (boot_error_) return *boot_error_;
    if (kernel_) return &*kernel_;
    // A CLI must never open a second control-plane listener or overwrite the
    // daemon's listener.json (frontend.control-plane honours this).
    ::setenv("COWORK_CONTROL_PLANE", "off", 1);
    kernel_.emplace(options_);
    if (auto st = kernel_->boot(); !st) {
        boot_error_ = st.error();
        return st.error();
    }
    return &*kernel_;
}

Result<Json> LocalConnection::call(const std::string& method, const Json& params) {
    auto k = kernel();
    if (!k) return k.error();
    return (*k)->api().call(api::Caller::system("cli"), method, params);
}

std::vector<PushedEvent> LocalConnection::wait_events(std::chrono::milliseconds timeout) {
    std::this_thread::sleep_for(std::min(timeout, std::chrono::milliseconds(50)));
    return {};
}

}  // namespace cowork::kernel::cli
