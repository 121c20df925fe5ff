// kernel/config/load.hpp — reading, checking and creating cowork.toml.
//
// Order: built-in defaults → the file → environment overrides.
//
// Environment overrides: COWORK_<SECTION>__<KEY>=<value> for the fixed
// sections (kernel, guardrails, secrets, control_plane, hooks, scheduler):
// section and key upper-cased, joined by a double underscore, e.g.
//   COWORK_KERNEL__LOG_LEVEL=debug
//   COWORK_CONTROL_PLANE__PORT=18790
//   COWORK_KERNEL__DISABLED_PLUGINS=channel.slack,channel.discord
// Values are typed by the key: booleans true/false/1/0/yes/no, integers in
// decimal, lists split on commas (surrounding spaces trimmed, "" = empty
// list). Variables without "__" (COWORK_HOME, COWORK_PASSPHRASE) are not
// overrides. [plugins.*], [providers.*] and [policy] cannot be overridden.
#pragma once

#include "config/config.hpp"
#include "config/problem.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cowork::kernel::config {

using Environment = std::map<std::string, std::string>;

// The COWORK_* variables of this process.
Environment process_environment();

struct Loaded {
    Config config;
    std::vector<Problem> warnings;  // unknown keys and the like: log them
};

// Kernel start-up: writes the commented default file (0600) when `path` is
// absent, then reads it. Fails ("config.invalid") listing every error.
Result<Loaded> load(const std::filesystem::path& path, const Environment& env = process_environment());

// Same reading from text; `source_name` appears in problem locations.
Result<Loaded> load_text(const std::string& text, const std::string& source_name, const Environment& env = {});

// `cowork config check`: every problem (errors and warnings), without
// creating anything. A missing file is an error.
std::vector<Problem> check(const std::filesystem::path& path, const Environment& env = process_environment());

// The fully commented default configuration.
const std::string& default_config_text();

// Writes default_config_text() to `path` (mode 0600, parents 0700); fails if it exists.
Status write_default_config(const std::filesystem::path& path);

}  // namespace cowork::kernel::config
