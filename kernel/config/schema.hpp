// kernel/config/schema.hpp — internal: the fixed sections' keys, their types
// and limits, and how each reaches the Config struct. One table serves the
// TOML reader, the environment overrides and to_json.
#pragma once

#include "config/config.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace cowork::kernel::config::detail {

enum class Kind { boolean, integer, number, string, string_list };

using Value = std::variant<bool, int64_t, double, std::string, std::vector<std::string>>;

struct FieldSpec {
    std::string section;
    std::string key;
    Kind kind;
    int64_t min = 0, max = 0;           // integers and numbers only
    std::vector<std::string> choices;   // strings only; empty: any
    std::function<void(Config&, Value)> set;
    std::function<Json(const Config&)> get;

    std::string name() const { return section + "." + key; }
    // "an integer between 1 and 65535", "one of \"info\", \"debug\"", …
    std::string expected() const;
    // Range / choice check; nullopt when fine, else what is wrong.
    std::optional<std::string> check(const Value& value) const;
};

const std::vector<FieldSpec>& fields();
const FieldSpec* find_field(std::string_view section, std::string_view key);
bool is_fixed_section(std::string_view section);
bool is_passthrough_section(std::string_view section);  // plugins, providers, policy
std::string known_keys(std::string_view section);       // "log_level, data_dir, …"

}  // namespace cowork::kernel::config::detail
