#include "plugins/manifest_reader.hpp"

#include "plugins/semver.hpp"

#include <cowork/abi.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

namespace cowork::kernel::plugins {
namespace {

namespace fs = std::filesystem;

Error invalid(const std::string& pointer, const std::string& message) {
    return make_error("manifest.invalid", pointer + ": " + message, Json{{"pointer", pointer}});
}

std::vector<std::string> strings(const Json& doc, const char* key) {
    std::vector<std::string> out;
    if (auto it = doc.find(key); it != doc.end())
        for (const auto& s : *it) out.push_back(s.get<std::string>());
    return out;
}

std::string text(const Json& doc, const char* key, std::string fallback = {}) {
    auto it = doc.find(key);
    return it == doc.end() ? fallback : it->get<std::string>();
}

// "api": each name in the plugin's own namespace ("<name part of the id>."),
// declared once, and served through cowork.methods/1. Shadowing a kernel
// method is refused later, at registration, where the kernel's names are known.
Status check_api_methods(const Json& doc) {
    const auto methods = doc.value("api", Json::array());
    if (methods.empty()) return ok_status();
    const auto id = doc["id"].get<std::string>();
    const std::string prefix = id.substr(id.find('.') + 1) + ".";
    const auto provides = strings(doc, "provides");
    if (std::find(provides.begin(), provides.end(), COWORK_IFACE_METHODS) == provides.end())
        return invalid("/api", "declaring API methods needs \"" COWORK_IFACE_METHODS "\" in provides");
    std::set<std::string> seen;
    for (size_t i = 0; i < methods.size(); ++i) {
        const auto name = methods[i]["name"].get<std::string>();
        const std::string at = "/api/" + std::to_string(i) + "/name";
        if (name.rfind(prefix, 0) != 0)
            return invalid(at, "\"" + name + "\" must start with \"" + prefix + "\", the namespace plugin " + id + " owns");
        if (!seen.insert(name).second) return invalid(at, "\"" + name + "\" is declared twice");
    }
    return ok_status();
}

// Checks what the schema cannot say. Runs only on schema-valid documents, so
// types are known to be right here.
Status check_semantics(const Json& doc, const fs::path& dir) {
    const auto id = doc["id"].get<std::string>();
    const auto type = doc["type"].get<std::string>();
    if (id.substr(0, id.find('.')) != type)
        return invalid("/type", "\"" + type + "\" does not match the prefix of id \"" + id + "\"");
    if (dir.filename() != id)
        return invalid("/id", "\"" + id + "\" must equal its directory name \"" + dir.filename().string() +
                                  "\" (install plugins as <root>/<id>/cowork.plugin.json)");
    const auto version = Version::parse(doc["version"].get<std::string>());
    if (doc.contains("compatVersion") && *Version::parse(doc["compatVersion"].get<std::string>()) > *version)
        return invalid("/compatVersion", "must not be newer than version " + version->to_string());
    const auto abi = doc["kernel"]["abi"].get<int64_t>();
    if (abi != COWORK_ABI_MAJOR)
        return invalid("/kernel/abi", "plugin targets ABI " + std::to_string(abi) + ", this kernel has ABI " +
                                          std::to_string(COWORK_ABI_MAJOR) + ": use a matching plugin build");
    const auto deps = doc.value("dependencies", Json::array());
    for (size_t i = 0; i < deps.size(); ++i) {
        const std::string at = "/dependencies/" + std::to_string(i);
        if (deps[i]["id"] == id) return invalid(at + "/id", "a plugin cannot depend on itself");
        if (deps[i].contains("version")) {
            auto range = VersionRange::parse(deps[i]["version"].get<std::string>());
            if (!range) return invalid(at + "/version", range.error().message);
        }
    }
    if (auto st = check_api_methods(doc); !st) return st;
    const auto library = doc["runtime"]["library"].get<std::string>();
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir / library, ec)))
        return invalid("/runtime/library", "\"" + library + "\" not found in " + dir.string() +
                                               ": build the plugin or fix the file name");
    return ok_status();
}

Manifest to_manifest(const Json& doc, const fs::path& dir) {
    Manifest m;
    m.id = doc["id"].get<std::string>();
    m.name = text(doc, "name", m.id.substr(m.id.find('.') + 1));
    m.display_name = text(doc, "displayName", m.name);
    m.version = doc["version"].get<std::string>();
    m.compat_version = text(doc, "compatVersion", m.version);
    m.type = doc["type"].get<std::string>();
    m.description = text(doc, "description");
    m.kernel_abi = static_cast<uint16_t>(doc["kernel"]["abi"].get<int64_t>());
    m.kernel_min_version = text(doc["kernel"], "minVersion");
    const auto& rt = doc["runtime"];
    m.runtime.kind = text(rt, "kind", "inprocess");
    m.runtime.library = rt["library"].get<std::string>();
    m.runtime.threading = text(rt, "threading", "any");
    for (const auto& d : doc.value("dependencies", Json::array()))
        m.dependencies.push_back({d["id"].get<std::string>(), text(d, "version", "*"), d.value("optional", false)});
    m.provides = strings(doc, "provides");
    m.requires_ = strings(doc, "requires");
    m.capabilities = doc.value("capabilities", Json::object());
    const auto perms = doc.value("permissions", Json::object());
    m.permissions.net_connect = strings(perms, "net:connect");
    m.permissions.fs_read = strings(perms, "fs:read");
    m.permissions.fs_write = strings(perms, "fs:write");
    m.permissions.process_exec = perms.value("process:exec", false);
    m.permissions.secret_read = strings(perms, "secret:read");
    m.permissions.secret_write = strings(perms, "secret:write");
    m.config_schema = doc.value("configSchema", Json::object());
    m.status = text(doc, "status", "stable");
    m.enabled_by_default = doc.value("enabledByDefault", true);
    for (const auto& a : doc.value("api", Json::array()))
        m.api.push_back({a["name"].get<std::string>(), a["scope"].get<std::string>(), a.value("sideEffect", false),
                         text(a, "summary")});
    m.dir = dir;
    m.raw = doc;
    return m;
}

}  // namespace

Result<Json> read_manifest_json(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error("manifest.unreadable", "cannot open " + file.string() + ": " + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    try {
        return Json::parse(buffer.str());
    } catch (const Json::parse_error& e) {
        // e.what() carries "at line N, column M": exactly what the author needs.
        return make_error("manifest.unreadable", file.string() + " is not valid JSON: " + e.what());
    }
}

Result<Manifest> parse_manifest(const Json& doc, const fs::path& dir, const JsonSchema& schema) {
    const auto errors = schema.validate(doc);
    if (!errors.empty())
        return make_error("manifest.invalid", join_errors(errors), Json{{"pointer", errors.front().pointer}});
    if (auto semantic = check_semantics(doc, dir); !semantic) return semantic.error();
    return to_manifest(doc, dir);
}

JsonSchema load_manifest_schema(const fs::path& path, std::string* source) {
    if (!path.empty()) {
        auto doc = read_manifest_json(path);
        if (doc) {
            if (auto compiled = JsonSchema::compile(std::move(doc).value())) {
                if (source) *source = "file";
                return std::move(compiled).value();
            } else {
                spdlog::warn("plugin schema {} is unusable ({}); using the built-in copy", path.string(),
                             compiled.error().message);
            }
        } else {
            spdlog::warn("plugin schema {} unavailable ({}); using the built-in copy", path.string(),
                         doc.error().message);
        }
    }
    if (source) *source = "embedded";
    // The embedded copy is tested at build time; failing here is a build bug.
    return JsonSchema::compile(Json::parse(embedded_manifest_schema())).value();
}

}  // namespace cowork::kernel::plugins
