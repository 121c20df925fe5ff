// Shared helpers for the plugin manager tests: paths to the built fixtures,
// scratch directories, and a host that serves cowork.log/1 and journals
// every line a plugin logs (that journal is how tests see call order).
#pragma once

#include "plugins/manager.hpp"

#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace cowork::kernel::plugins::testing {

namespace fs = std::filesystem;

fs::path fixture_root();    // <build>/fixtures/plugins
fs::path corpus_dir();      // <build>/tests/plugin-manifests
fs::path schema_file();     // <build>/out/share/cowork/cowork.plugin.schema.json
fs::path host_executable(); // <build>/out/bin/cowork-plugin-host

// A fresh directory, removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const fs::path& path() const noexcept { return path_; }

private:
    fs::path path_;
};

// Copies fixture plugin directories (manifest, .so, hash) under `root`.
void copy_fixtures(const fs::path& root, const std::vector<std::string>& ids);

// Reads, edits and writes back a plugin's manifest.
void edit_manifest(const fs::path& plugin_dir, const std::function<void(Json&)>& edit);

class TestHosts {
public:
    HostFactory factory();
    std::vector<std::string> journal() const;
    // Journal lines that end with `call` (" init", " stop", …), plugin ids only.
    std::vector<std::string> calls(const std::string& call) const;

private:
    struct PerPlugin {
        cowork_host host{};
        std::string id;
        TestHosts* owner = nullptr;
    };
    static const void* get_service(void* ctx, const char* id);
    static void log(void* ctx, int32_t level, const char* msg, size_t size);

    cowork_log_v1 log_{sizeof(cowork_log_v1), this, &TestHosts::log};
    std::deque<PerPlugin> hosts_;  // deque: addresses stay put
    mutable std::mutex mutex_;
    std::vector<std::string> journal_;
};

// Options for a manager over one root, with a short stop deadline.
ManagerOptions options_for(const fs::path& root);

}  // namespace cowork::kernel::plugins::testing
