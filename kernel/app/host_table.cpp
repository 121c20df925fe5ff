#include "app/host_table.hpp"

#include "core/log.hpp"

#include <system_error>

namespace cowork::kernel::app {

HostTable::HostTable(std::string plugin_id, std::filesystem::path data_dir)
    : plugin_id_(std::move(plugin_id)), data_dir_(data_dir.string()) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all, ec);
    host_.struct_size = sizeof(cowork_host);
    host_.abi_major = COWORK_ABI_MAJOR;
    host_.abi_minor = COWORK_ABI_MINOR;
    host_.ctx = this;
    host_.plugin_id = plugin_id_.c_str();
    host_.data_dir = data_dir_.c_str();
    host_.get_service = &HostTable::get_service;
}

void HostTable::offer(const std::string& id, const void* table, std::shared_ptr<void> owner) {
    std::lock_guard lock(mutex_);
    tables_[id] = table;
    if (owner) owners_.push_back(std::move(owner));
}

const void* HostTable::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = tables_.find(id);
    return it == tables_.end() ? nullptr : it->second;
}

const void* HostTable::get_service(void* ctx, const char* id) {
    if (!ctx || !id) return nullptr;
    return static_cast<HostTable*>(ctx)->find(id);
}

namespace {

struct LogContext {
    std::shared_ptr<spdlog::logger> log;
};

spdlog::level::level_enum to_spdlog(int32_t level) {
    switch (level) {
    case COWORK_LOG_TRACE: return spdlog::level::trace;
    case COWORK_LOG_DEBUG: return spdlog::level::debug;
    case COWORK_LOG_WARN: return spdlog::level::warn;
    case COWORK_LOG_ERROR: return spdlog::level::err;
    default: return spdlog::level::info;
    }
}

}  // namespace

std::shared_ptr<cowork_log_v1> make_log_service(const std::string& plugin_id) {
    struct Holder {
        cowork_log_v1 table{};
        LogContext ctx;
    };
    auto h = std::make_shared<Holder>();
    h->ctx.log = logger(plugin_id);
    h->table.struct_size = sizeof(cowork_log_v1);
    h->table.ctx = &h->ctx;
    h->table.log = [](void* ctx, int32_t level, const char* msg, size_t size) {
        if (!ctx || !msg) return;
        // The redacting sink behind every logger strips secret values.
        static_cast<LogContext*>(ctx)->log->log(to_spdlog(level), "{}", std::string_view(msg, size));
    };
    return std::shared_ptr<cowork_log_v1>(h, &h->table);
}

}  // namespace cowork::kernel::app
