#include "config/toml_reader.hpp"

#include "config/schema.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <sstream>
#include <tuple>

namespace cowork::kernel::config::detail {
namespace {

struct Reader {
    const std::string& file;
    Config& config;
    std::vector<Problem>& problems;

    void report(Severity severity, const toml::node& at, std::string message) {
        const auto& begin = at.source().begin;
        problems.push_back(Problem{severity, file, begin.line, begin.column, std::move(message)});
    }

    static const char* type_name(const toml::node& n) {
        switch (n.type()) {
            case toml::node_type::table: return "a table";
            case toml::node_type::array: return "an array";
            case toml::node_type::string: return "a string";
            case toml::node_type::integer: return "an integer";
            case toml::node_type::floating_point: return "a float";
            case toml::node_type::boolean: return "a boolean";
            default: return "a date/time";
        }
    }

    std::optional<Value> value_of(const FieldSpec& spec, const toml::node& node) {
        switch (spec.kind) {
            case Kind::boolean:
                if (auto b = node.value_exact<bool>()) return Value{*b};
                break;
            case Kind::integer:
                if (auto i = node.value_exact<int64_t>()) return Value{*i};
                break;
            case Kind::number:
                if (auto d = node.value_exact<double>()) return Value{*d};
                if (auto i = node.value_exact<int64_t>()) return Value{static_cast<double>(*i)};
                break;
            case Kind::string:
                if (auto s = node.value_exact<std::string>()) return Value{*s};
                break;
            case Kind::string_list:
                if (const auto* arr = node.as_array()) {
                    std::vector<std::string> out;
                    for (const auto& item : *arr) {
                        auto s = item.value_exact<std::string>();
                        if (!s) {
                            report(Severity::error, item, spec.name() + " must be " + spec.expected() + ", but an item is " +
                                                              type_name(item));
                            return std::nullopt;
                        }
                        out.push_back(*s);
                    }
                    return Value{std::move(out)};
                }
                break;
        }
        report(Severity::error, node, spec.name() + " must be " + spec.expected() + ", got " + type_name(node));
        return std::nullopt;
    }

    void read_field(const FieldSpec& spec, const toml::node& node) {
        auto value = value_of(spec, node);
        if (!value) return;
        if (auto wrong = spec.check(*value)) {
            report(Severity::error, node, *wrong);
            return;
        }
        spec.set(config, std::move(*value));
    }

    void read_fixed_section(const std::string& section, const toml::table& table) {
        for (const auto& [key, node] : table) {
            if (const FieldSpec* spec = find_field(section, key.str())) {
                read_field(*spec, node);
            } else {
                report(Severity::warning, node, "unknown key '" + std::string(key.str()) + "' in [" + section +
                                                    "] is ignored; known keys: " + known_keys(section));
            }
        }
    }

    void read_named_tables(const std::string& section, const toml::table& table, std::map<std::string, Json>& out) {
        for (const auto& [name, node] : table) {
            if (!node.is_table()) {
                report(Severity::error, node, "[" + section + "] entries must be tables like [" + section + ".\"" +
                                                  std::string(name.str()) + "\"], got " + type_name(node));
                continue;
            }
            out[std::string(name.str())] = to_json(node);
        }
    }

    void read_root(const toml::table& root) {
        for (const auto& [key, node] : root) {
            const std::string section(key.str());
            if (!is_fixed_section(section) && !is_passthrough_section(section)) {
                report(Severity::warning, node, "unknown section [" + section + "] is ignored");
                continue;
            }
            const toml::table* table = node.as_table();
            if (!table) {
                report(Severity::error, node, "'" + section + "' must be a table ([" + section + "]), got " + type_name(node));
                continue;
            }
            if (section == "plugins") read_named_tables(section, *table, config.plugins);
            else if (section == "providers") read_named_tables(section, *table, config.providers);
            else if (section == "policy") config.policy = to_json(*table);
            else read_fixed_section(section, *table);
        }
    }

    static Json to_json(const toml::node& node) {
        if (const auto* t = node.as_table()) {
            Json obj = Json::object();
            for (const auto& [k, v] : *t) obj[std::string(k.str())] = to_json(v);
            return obj;
        }
        if (const auto* a = node.as_array()) {
            Json arr = Json::array();
            for (const auto& v : *a) arr.push_back(to_json(v));
            return arr;
        }
        if (auto s = node.value_exact<std::string>()) return *s;
        if (auto i = node.value_exact<int64_t>()) return *i;
        if (auto d = node.value_exact<double>()) return *d;
        if (auto b = node.value_exact<bool>()) return *b;
        std::ostringstream text;  // dates and times: their TOML spelling
        node.visit([&](const auto& v) { text << v; });
        return text.str();
    }
};

}  // namespace

void read_toml(const std::string& text, const std::string& source_name, Config& config, std::vector<Problem>& problems) {
    toml::table root;
    try {
        root = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        const auto& at = e.source().begin;
        problems.push_back(Problem{Severity::error, source_name, at.line, at.column, std::string(e.description())});
        return;
    }
    const auto first_new = problems.size();
    Reader{source_name, config, problems}.read_root(root);
    // toml++ tables iterate in key order; report in document order.
    std::stable_sort(problems.begin() + static_cast<std::ptrdiff_t>(first_new), problems.end(),
                     [](const Problem& a, const Problem& b) { return std::tie(a.line, a.column) < std::tie(b.line, b.column); });
}

}  // namespace cowork::kernel::config::detail
