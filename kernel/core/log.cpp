#include "log.hpp"

#include "redactor.hpp"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>
#include <vector>

namespace cowork::kernel {
namespace {

// Forwards to the real sinks with secret values replaced: the last line of
// defence, so a secret that slipped into a message never reaches disk.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit RedactingSink(std::vector<spdlog::sink_ptr> sinks) : sinks_(std::move(sinks)) {}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const std::string clean = Redactor::instance().redact(std::string_view(msg.payload.data(), msg.payload.size()));
        spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, clean);
        for (auto& s : sinks_)
            if (s->should_log(copy.level)) s->log(copy);
    }
    void flush_() override {
        for (auto& s : sinks_) s->flush();
    }

private:
    std::vector<spdlog::sink_ptr> sinks_;
};

std::shared_ptr<RedactingSink>& root_sink() {
    static std::shared_ptr<RedactingSink> sink;
    return sink;
}

}  // namespace

void setup_logging(const LogOptions& options) {
    std::vector<spdlog::sink_ptr> sinks;
    if (options.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!options.file.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(options.file.parent_path(), ec);
        sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file.string(),
                                                                               options.max_file_bytes,
                                                                               options.max_files));
    }
    root_sink() = std::make_shared<RedactingSink>(std::move(sinks));
    spdlog::drop_all();
    auto log = std::make_shared<spdlog::logger>("cowork", root_sink());
    log->set_level(spdlog::level::from_str(options.level));
    log->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(log);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ [%n] %v");
}

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (!root_sink()) setup_logging(LogOptions{});
    if (auto existing = spdlog::get(name)) return existing;
    auto log = std::make_shared<spdlog::logger>(name, root_sink());
    log->set_level(spdlog::default_logger()->level());
    log->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ [%n] %v");
    spdlog::register_logger(log);
    return log;
}

}  // namespace cowork::kernel
