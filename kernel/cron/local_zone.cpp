// kernel/cron/local_zone.cpp
#include "cron/local_zone.hpp"

#include "scheduler/time_zone.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace cowork::kernel::cron {
namespace {

bool usable(const std::string& name) { return !name.empty() && scheduler::TimeZone::load(name).ok(); }

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
    return s;
}

}  // namespace

std::string local_zone_name() {
    if (const char* tz = std::getenv("TZ"); tz && *tz) {
        std::string name = tz[0] == ':' ? tz + 1 : tz;
        if (usable(name)) return name;
    }
    {
        std::ifstream in("/etc/timezone");
        std::string name;
        if (in && std::getline(in, name) && usable(trimmed(name))) return trimmed(name);
    }
    std::error_code ec;
    const auto target = std::filesystem::read_symlink("/etc/localtime", ec).string();
    if (!ec) {
        const std::string marker = "zoneinfo/";
        if (auto pos = target.find(marker); pos != std::string::npos) {
            std::string name = target.substr(pos + marker.size());
            if (usable(name)) return name;
        }
    }
    return "UTC";
}

}  // namespace cowork::kernel::cron
