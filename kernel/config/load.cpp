#include "config/load.hpp"

#include "config/env_overrides.hpp"
#include "config/toml_reader.hpp"
#include "core/redactor.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

extern char** environ;

namespace cowork::kernel::config {
namespace {

// Secret-looking values typed into the file (a provider api_key, a bot
// token) must never reach a log line even before anyone reads them.
void register_secret_values(const Json& j, std::string_view key_name = {}) {
    if (j.is_string() && is_secret_key_name(key_name)) {
        Redactor::instance().add(j.get<std::string>());
    } else if (j.is_object()) {
        for (const auto& [k, v] : j.items()) register_secret_values(v, k);
    } else if (j.is_array()) {
        for (const auto& v : j) register_secret_values(v, key_name);
    }
}

std::vector<Problem> read_all(const std::string& text, const std::string& source_name, const Environment& env,
                              Config& config) {
    std::vector<Problem> problems;
    detail::read_toml(text, source_name, config, problems);
    detail::apply_env_overrides(env, config, problems);
    for (const auto& [id, table] : config.plugins) register_secret_values(table);
    for (const auto& [id, table] : config.providers) register_secret_values(table);
    return problems;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

Environment process_environment() {
    Environment env;
    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry(*e);
        const auto eq = entry.find('=');
        if (eq == std::string_view::npos || entry.rfind("COWORK_", 0) != 0) continue;
        env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
    return env;
}

Result<Loaded> load_text(const std::string& text, const std::string& source_name, const Environment& env) {
    Loaded loaded;
    auto problems = read_all(text, source_name, env, loaded.config);
    if (has_errors(problems)) return problems_error(problems);
    loaded.warnings = std::move(problems);
    return loaded;
}

Result<Loaded> load(const std::filesystem::path& path, const Environment& env) {
    if (!std::filesystem::exists(path))
        if (auto written = write_default_config(path); !written) return written.error();
    auto text = read_file(path);
    if (!text) return make_error("config.unreadable", "cannot read " + path.string() + ": " + std::strerror(errno));
    auto loaded = load_text(*text, path.string(), env);
    if (loaded) loaded->config.file = path;
    return loaded;
}

std::vector<Problem> check(const std::filesystem::path& path, const Environment& env) {
    auto text = read_file(path);
    if (!text)
        return {Problem{Severity::error, path.string(), 0, 0,
                        "cannot read the file; it is created with defaults on the kernel's first start"}};
    Config scratch;
    return read_all(*text, path.string(), env, scratch);
}

}  // namespace cowork::kernel::config
