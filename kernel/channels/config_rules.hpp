// kernel/channels/config_rules.hpp — an instance's config against its
// plugin's configSchema, and what read-only callers may see of it.
#pragma once

#include "core/result.hpp"

#include <map>
#include <string>
#include <vector>

namespace cowork::kernel::channels {

// Checks `config` against `schema` (the manifest's configSchema). Fields the
// schema marks `"secret": true` must not be in config: they belong in the
// secrets (`secret_names`), where a required one must then be present.
// Errors name the field: "params.config/port: must be an integer".
Status check_config(const Json& schema, const Json& config, const std::vector<std::string>& secret_names);

// Secret names are short identifiers: 1–64 of [A-Za-z0-9_-].
bool valid_secret_name(const std::string& name);

// A copy for callers with only the `read` scope: strings that look like
// paths, URLs with credentials or secrets, and values of keys that sound
// secret (token, password, key…), become "[redacted]".
Json redact_config_for_readers(const Json& config);

// A status detail for read-only callers: words that look like paths become "[path]".
std::string redact_detail_for_readers(const std::string& detail);

}  // namespace cowork::kernel::channels
