// kernel/app/host_table.hpp — the cowork_host one plugin is created with.
//
// Each plugin gets its own host: services it asks for are bound to its id
// (its logger, its scoped storage, its secrets, its subscriptions), so a
// plugin can never act as another one. Tables are registered by the kernel
// while wiring; the host only looks them up.
#pragma once

#include <cowork/abi.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace cowork::kernel::app {

class HostTable {
public:
    HostTable(std::string plugin_id, std::filesystem::path data_dir);
    HostTable(const HostTable&) = delete;
    HostTable& operator=(const HostTable&) = delete;

    const cowork_host* host() const noexcept { return &host_; }
    const std::string& plugin_id() const noexcept { return plugin_id_; }

    // Offer `table` under `id` ("cowork.bus/1"). `owner` keeps whatever the
    // table's ctx points to alive as long as this host lives.
    void offer(const std::string& id, const void* table, std::shared_ptr<void> owner = {});
    const void* find(const std::string& id) const;

private:
    static const void* get_service(void* ctx, const char* id);

    std::string plugin_id_;
    std::string data_dir_;
    cowork_host host_{};
    mutable std::mutex mutex_;
    std::map<std::string, const void*, std::less<>> tables_;
    std::vector<std::shared_ptr<void>> owners_;
};

// cowork.log/1 bound to one plugin: lines go to the logger named by its id.
std::shared_ptr<cowork_log_v1> make_log_service(const std::string& plugin_id);

}  // namespace cowork::kernel::app
