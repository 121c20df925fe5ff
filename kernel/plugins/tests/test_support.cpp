#include "test_support.hpp"

#include "core/paths.hpp"
#include "plugins/manifest_reader.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace cowork::kernel::plugins::testing {

fs::path fixture_root() { return (executable_dir() / ".." / "fixtures" / "plugins").lexically_normal(); }
fs::path corpus_dir() { return executable_dir() / "plugin-manifests"; }
fs::path schema_file() {
    return (executable_dir() / ".." / "out" / "share" / "cowork" / "cowork.plugin.schema.json").lexically_normal();
}

fs::path host_executable() {
    return (executable_dir() / ".." / "out" / "bin" / "cowork-plugin-host").lexically_normal();
}

TempDir::TempDir() {
    std::string pattern = (fs::temp_directory_path() / "cowork-plugins-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void copy_fixtures(const fs::path& root, const std::vector<std::string>& ids) {
    fs::create_directories(root);
    for (const auto& id : ids) {
        const fs::path from = fixture_root() / id;
        if (!fs::exists(from / kManifestFile)) throw std::runtime_error("fixture not built: " + from.string());
        fs::copy(from, root / id, fs::copy_options::recursive);
    }
}

void edit_manifest(const fs::path& plugin_dir, const std::function<void(Json&)>& edit) {
    Json doc = read_manifest_json(plugin_dir / kManifestFile).value();
    edit(doc);
    std::ofstream(plugin_dir / kManifestFile) << doc.dump(2);
}

HostFactory TestHosts::factory() {
    return [this](const Manifest& m) -> Result<const cowork_host*> {
        auto& p = hosts_.emplace_back();
        p.id = m.id;
        p.owner = this;
        p.host = {sizeof(cowork_host), COWORK_ABI_MAJOR, COWORK_ABI_MINOR, &p, p.id.c_str(), "/nonexistent",
                  &TestHosts::get_service};
        return static_cast<const cowork_host*>(&p.host);
    };
}

const void* TestHosts::get_service(void* ctx, const char* id) {
    auto* p = static_cast<PerPlugin*>(ctx);
    return std::string(id) == COWORK_SERVICE_LOG ? &p->owner->log_ : nullptr;
}

void TestHosts::log(void* ctx, int32_t, const char* msg, size_t size) {
    auto* self = static_cast<TestHosts*>(ctx);
    std::lock_guard lock(self->mutex_);
    self->journal_.emplace_back(msg, size);
}

std::vector<std::string> TestHosts::journal() const {
    std::lock_guard lock(mutex_);
    return journal_;
}

std::vector<std::string> TestHosts::calls(const std::string& call) const {
    std::vector<std::string> ids;
    const std::string suffix = " " + call;
    for (const auto& line : journal())
        if (line.size() > suffix.size() && line.compare(line.size() - suffix.size(), suffix.size(), suffix) == 0)
            ids.push_back(line.substr(0, line.size() - suffix.size()));
    return ids;
}

ManagerOptions options_for(const fs::path& root) {
    ManagerOptions o;
    o.roots = {{"extra", root}};
    o.stop_deadline = std::chrono::milliseconds(150);
    return o;
}

}  // namespace cowork::kernel::plugins::testing
