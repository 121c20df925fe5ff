#include "plugins/json_schema.hpp"

#include <algorithm>
#include <cmath>

namespace cowork::kernel::plugins {
namespace {

// Values inside these keywords are data, not subschemas: never walk them.
bool is_data_keyword(const std::string& key) {
    return key == "enum" || key == "const" || key == "default" || key == "examples";
}

// Prints a value for a message: strings bare (inprocess), the rest as JSON.
std::string show(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::string show_list(const Json& values) {
    std::string out;
    for (const auto& v : values) {
        if (!out.empty()) out += ", ";
        out += show(v);
    }
    return out;
}

size_t utf8_length(const std::string& s) {
    // Count code points: every byte that is not a continuation byte.
    return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

bool has_type(const Json& value, const std::string& type) {
    if (type == "object") return value.is_object();
    if (type == "array") return value.is_array();
    if (type == "string") return value.is_string();
    if (type == "boolean") return value.is_boolean();
    if (type == "null") return value.is_null();
    if (type == "number") return value.is_number();
    if (type == "integer") {
        if (value.is_number_integer()) return true;
        if (!value.is_number_float()) return false;
        const double d = value.get<double>();
        return std::isfinite(d) && std::floor(d) == d;
    }
    return false;
}

// Resolves "#/$defs/x" (any JSON pointer after '#') in the root document.
const Json* resolve_ref(const Json& root, const std::string& ref) {
    if (ref.empty() || ref[0] != '#') return nullptr;
    try {
        const Json::json_pointer ptr(ref.substr(1));
        return root.contains(ptr) ? &root.at(ptr) : nullptr;
    } catch (const Json::exception&) {
        return nullptr;
    }
}

// Walks the schema once: compiles every pattern, checks every $ref.
void prepare(const Json& node, const Json& root, const std::string& where,
             std::map<std::string, std::regex>& patterns, std::vector<std::string>& problems) {
    if (node.is_array()) {
        for (size_t i = 0; i < node.size(); ++i)
            prepare(node[i], root, child_pointer(where, std::to_string(i)), patterns, problems);
        return;
    }
    if (!node.is_object()) return;
    for (const auto& [key, value] : node.items()) {
        const std::string here = child_pointer(where, key);
        if (key == "pattern" && value.is_string()) {
            const auto text = value.get<std::string>();
            try {
                patterns.emplace(text, std::regex(text, std::regex::ECMAScript));
            } catch (const std::regex_error& e) {
                problems.push_back(here + ": pattern does not compile (" + e.what() + ")");
            }
        } else if (key == "$ref" && value.is_string()) {
            if (!resolve_ref(root, value.get<std::string>()))
                problems.push_back(here + ": $ref " + value.get<std::string>() + " does not resolve");
        } else if (!is_data_keyword(key)) {
            prepare(value, root, here, patterns, problems);
        }
    }
}

}  // namespace

std::string SchemaError::to_string() const { return (pointer.empty() ? "/" : pointer) + ": " + message; }

std::string child_pointer(const std::string& parent, const std::string& key) {
    std::string escaped;
    for (char c : key) {
        if (c == '~') escaped += "~0";
        else if (c == '/') escaped += "~1";
        else escaped += c;
    }
    return parent + "/" + escaped;
}

std::string join_errors(const std::vector<SchemaError>& errors, size_t max_shown) {
    std::string out;
    for (size_t i = 0; i < errors.size() && i < max_shown; ++i) {
        if (i) out += "; ";
        out += errors[i].to_string();
    }
    if (errors.size() > max_shown) out += "; and " + std::to_string(errors.size() - max_shown) + " more";
    return out;
}

// One validation run: the root for $ref, the regex cache and the error list.
struct JsonSchema::Validation {
    const Json& root;
    const Patterns& patterns;
    size_t max_errors;
    std::vector<SchemaError> errors;

    static constexpr int kMaxDepth = 64;  // a $ref loop must not recurse forever

    bool full() const { return errors.size() >= max_errors; }
    void fail(const std::string& pointer, std::string message) {
        if (!full()) errors.push_back({pointer, std::move(message)});
    }

    // True when `value` satisfies `schema`, without recording errors.
    bool passes(const Json& value, const Json& schema, int depth) {
        Validation probe{root, patterns, 1, {}};
        probe.check(value, schema, "", depth);
        return probe.errors.empty();
    }

    void check(const Json& value, const Json& schema, const std::string& ptr, int depth) {
        if (full()) return;
        if (depth > kMaxDepth) return fail(ptr, "schema nesting too deep (a $ref loop?)");
        if (schema.is_boolean()) {
            if (!schema.get<bool>()) fail(ptr, "no value is allowed here");
            return;
        }
        if (!schema.is_object()) return;
        if (auto it = schema.find("$ref"); it != schema.end() && it->is_string()) {
            if (const Json* target = resolve_ref(root, it->get<std::string>())) check(value, *target, ptr, depth + 1);
        }
        if (!check_type(value, schema, ptr)) return;  // the rest would only add noise
        check_enum_const(value, schema, ptr);
        check_combinators(value, schema, ptr, depth);
        if (value.is_string()) check_string(value.get_ref<const std::string&>(), schema, ptr);
        if (value.is_number()) check_number(value.get<double>(), schema, ptr);
        if (value.is_array()) check_array(value, schema, ptr, depth);
        if (value.is_object()) check_object(value, schema, ptr, depth);
    }

    bool check_type(const Json& value, const Json& schema, const std::string& ptr) {
        auto it = schema.find("type");
        if (it == schema.end()) return true;
        if (it->is_string()) {
            if (has_type(value, it->get<std::string>())) return true;
            fail(ptr, "must be of type " + it->get<std::string>());
            return false;
        }
        if (it->is_array()) {
            for (const auto& t : *it)
                if (t.is_string() && has_type(value, t.get<std::string>())) return true;
            fail(ptr, "must be of type " + show_list(*it));
            return false;
        }
        return true;
    }

    void check_enum_const(const Json& value, const Json& schema, const std::string& ptr) {
        if (auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
            if (std::find(it->begin(), it->end(), value) == it->end())
                fail(ptr, "must be one of " + show_list(*it));
        }
        if (auto it = schema.find("const"); it != schema.end() && *it != value) fail(ptr, "must be " + show(*it));
    }

    void check_combinators(const Json& value, const Json& schema, const std::string& ptr, int depth) {
        if (auto it = schema.find("allOf"); it != schema.end() && it->is_array())
            for (const auto& sub : *it) check(value, sub, ptr, depth + 1);
        if (auto it = schema.find("anyOf"); it != schema.end() && it->is_array()) {
            const bool any = std::any_of(it->begin(), it->end(), [&](const Json& s) { return passes(value, s, depth + 1); });
            if (!any) fail(ptr, "must match at least one of " + std::to_string(it->size()) + " alternatives");
        }
        if (auto it = schema.find("oneOf"); it != schema.end() && it->is_array()) {
            const auto n = std::count_if(it->begin(), it->end(), [&](const Json& s) { return passes(value, s, depth + 1); });
            if (n != 1) fail(ptr, "must match exactly one of " + std::to_string(it->size()) + " alternatives (matched " + std::to_string(n) + ")");
        }
        if (auto it = schema.find("not"); it != schema.end() && passes(value, *it, depth + 1))
            fail(ptr, "must not match the excluded schema");
    }

    void check_string(const std::string& s, const Json& schema, const std::string& ptr) {
        const size_t length = utf8_length(s);
        if (auto it = schema.find("minLength"); it != schema.end() && it->is_number_unsigned() && length < it->get<size_t>())
            fail(ptr, "must be at least " + it->dump() + " characters long");
        if (auto it = schema.find("maxLength"); it != schema.end() && it->is_number_unsigned() && length > it->get<size_t>())
            fail(ptr, "must be at most " + it->dump() + " characters long");
        if (auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
            auto re = patterns.find(it->get<std::string>());
            if (re != patterns.end() && !std::regex_search(s, re->second))
                fail(ptr, "\"" + s + "\" must match " + it->get<std::string>());
        }
    }

    void check_number(double n, const Json& schema, const std::string& ptr) {
        auto bound = [&](const char* key, auto violates, const char* words) {
            if (auto it = schema.find(key); it != schema.end() && it->is_number() && violates(it->template get<double>()))
                fail(ptr, std::string("must be ") + words + " " + it->dump());
        };
        bound("minimum", [&](double b) { return n < b; }, "at least");
        bound("maximum", [&](double b) { return n > b; }, "at most");
        bound("exclusiveMinimum", [&](double b) { return n <= b; }, "greater than");
        bound("exclusiveMaximum", [&](double b) { return n >= b; }, "less than");
    }

    void check_array(const Json& value, const Json& schema, const std::string& ptr, int depth) {
        if (auto it = schema.find("minItems"); it != schema.end() && it->is_number_unsigned() && value.size() < it->get<size_t>())
            fail(ptr, "must have at least " + it->dump() + " items");
        if (auto it = schema.find("maxItems"); it != schema.end() && it->is_number_unsigned() && value.size() > it->get<size_t>())
            fail(ptr, "must have at most " + it->dump() + " items");
        if (auto it = schema.find("uniqueItems"); it != schema.end() && *it == true) {
            for (size_t i = 1; i < value.size(); ++i)
                for (size_t j = 0; j < i; ++j)
                    if (value[i] == value[j]) fail(child_pointer(ptr, std::to_string(i)), "duplicates item " + std::to_string(j));
        }
        if (auto it = schema.find("items"); it != schema.end())
            for (size_t i = 0; i < value.size(); ++i) check(value[i], *it, child_pointer(ptr, std::to_string(i)), depth + 1);
    }

    void check_object(const Json& value, const Json& schema, const std::string& ptr, int depth) {
        if (auto it = schema.find("required"); it != schema.end() && it->is_array()) {
            for (const auto& key : *it)
                if (key.is_string() && !value.contains(key.get<std::string>()))
                    fail(child_pointer(ptr, key.get<std::string>()), "is required but missing");
        }
        const auto props = schema.find("properties");
        const bool has_props = props != schema.end() && props->is_object();
        const auto extra = schema.find("additionalProperties");
        for (const auto& [key, member] : value.items()) {
            const std::string here = child_pointer(ptr, key);
            if (has_props && props->contains(key)) {
                check(member, (*props)[key], here, depth + 1);
            } else if (extra != schema.end()) {
                if (*extra == false) fail(here, "is not an allowed key here");
                else check(member, *extra, here, depth + 1);
            }
        }
    }
};

Result<JsonSchema> JsonSchema::compile(Json schema) {
    if (!schema.is_object() && !schema.is_boolean())
        return make_error("schema.invalid", "a JSON Schema must be an object or a boolean");
    auto patterns = std::make_shared<Patterns>();
    std::vector<std::string> problems;
    prepare(schema, schema, "", *patterns, problems);
    if (!problems.empty()) {
        std::string message = "the schema itself is invalid: ";
        for (size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
        return make_error("schema.invalid", message);
    }
    return JsonSchema(std::make_shared<const Json>(std::move(schema)), std::move(patterns));
}

std::vector<SchemaError> JsonSchema::validate(const Json& instance, size_t max_errors) const {
    Validation v{*root_, *patterns_, max_errors, {}};
    v.check(instance, *root_, "", 0);
    return std::move(v.errors);
}

}  // namespace cowork::kernel::plugins
