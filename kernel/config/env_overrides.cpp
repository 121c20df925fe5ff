#include "config/env_overrides.hpp"

#include "config/schema.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace cowork::kernel::config::detail {
namespace {

constexpr std::string_view kPrefix = "COWORK_";

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

std::optional<Value> parse(const FieldSpec& spec, const std::string& text) {
    switch (spec.kind) {
        case Kind::boolean: {
            const std::string t = lower(trim(text));
            if (t == "true" || t == "1" || t == "yes") return Value{true};
            if (t == "false" || t == "0" || t == "no") return Value{false};
            return std::nullopt;
        }
        case Kind::integer: {
            const std::string t = trim(text);
            int64_t n = 0;
            const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
            if (t.empty() || ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
            return Value{n};
        }
        case Kind::number: {
            const std::string t = trim(text);
            double d = 0;
            const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
            if (t.empty() || ec != std::errc{} || end != t.data() + t.size()) return std::nullopt;
            return Value{d};
        }
        case Kind::string: return Value{text};
        case Kind::string_list: {
            std::vector<std::string> items;
            if (trim(text).empty()) return Value{items};
            size_t start = 0;
            while (true) {
                const auto comma = text.find(',', start);
                items.push_back(trim(std::string_view(text).substr(start, comma - start)));
                if (comma == std::string::npos) break;
                start = comma + 1;
            }
            return Value{items};
        }
    }
    return std::nullopt;
}

}  // namespace

void apply_env_overrides(const std::map<std::string, std::string>& env, Config& config, std::vector<Problem>& problems) {
    for (const auto& [name, text] : env) {
        if (name.rfind(kPrefix, 0) != 0) continue;
        const auto split = name.find("__", kPrefix.size());
        if (split == std::string::npos) continue;  // COWORK_HOME etc.: not an override
        const std::string section = lower(name.substr(kPrefix.size(), split - kPrefix.size()));
        const std::string key = lower(name.substr(split + 2));
        const std::string where = "env " + name;
        const FieldSpec* spec = find_field(section, key);
        if (!spec) {
            problems.push_back(Problem{Severity::warning, where, 0, 0,
                                       "no setting " + section + "." + key + " to override; overridable: COWORK_<SECTION>__<KEY> "
                                       "for [kernel], [guardrails], [secrets], [control_plane], [hooks], [scheduler]"});
            continue;
        }
        auto value = parse(*spec, text);
        if (!value) {
            problems.push_back(Problem{Severity::error, where, 0, 0, spec->name() + " must be " + spec->expected()});
            continue;
        }
        if (auto wrong = spec->check(*value)) {
            problems.push_back(Problem{Severity::error, where, 0, 0, *wrong});
            continue;
        }
        spec->set(config, std::move(*value));
    }
}

}  // namespace cowork::kernel::config::detail
