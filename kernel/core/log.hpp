// kernel/core/log.hpp — logging set-up: console + rotating file, secrets redacted.
#pragma once

#include <spdlog/spdlog.h>

#include <filesystem>
#include <string>

namespace cowork::kernel {

struct LogOptions {
    std::filesystem::path file;           // empty: console only
    std::string level = "info";           // trace|debug|info|warn|error|off
    bool console = true;
    size_t max_file_bytes = 5 * 1024 * 1024;
    size_t max_files = 3;
    bool json_console = false;            // reserved: console in JSON for scripts
};

// Installs the default logger. Every line passes through the Redactor.
void setup_logging(const LogOptions& options);

// The kernel's logger ("cowork"); a plugin's logger is named by its id.
std::shared_ptr<spdlog::logger> logger(const std::string& name = "cowork");

}  // namespace cowork::kernel
