#include "cowork_tools/arguments.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::tools {

namespace {
const nlohmann::json& empty_object() {
    static const nlohmann::json empty = nlohmann::json::object();
    return empty;
}
}  // namespace

Arguments::Arguments(const nlohmann::json& args, std::string tool)
    : args_(args.is_object() ? args : empty_object()), tool_(std::move(tool)) {
    if (!args.is_null() && !args.is_object()) throw sdk::invalid(tool_ + ": arguments must be an object");
}

void Arguments::bad(const char* key, const std::string& why) const {
    throw sdk::invalid(tool_ + ": argument '" + key + "' " + why);
}

bool Arguments::has(const char* key) const { return args_.contains(key) && !args_[key].is_null(); }

std::optional<std::string> Arguments::string(const char* key) const {
    if (!has(key)) return std::nullopt;
    if (!args_[key].is_string()) bad(key, "must be a string");
    return args_[key].get<std::string>();
}

std::optional<std::string> Arguments::string_any(std::initializer_list<const char*> keys) const {
    for (const char* key : keys)
        if (auto v = string(key)) return v;
    return std::nullopt;
}

std::string Arguments::required_string(const char* key) const {
    auto v = string(key);
    if (!v) bad(key, "is required");
    return *v;
}

bool Arguments::boolean(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!args_[key].is_boolean()) bad(key, "must be true or false");
    return args_[key].get<bool>();
}

std::optional<int64_t> Arguments::optional_integer(const char* key, int64_t min, int64_t max) const {
    if (!has(key)) return std::nullopt;
    const auto& v = args_[key];
    int64_t n = 0;
    if (v.is_number_integer()) n = v.get<int64_t>();
    else if (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<int64_t>(v.get<double>())))
        n = static_cast<int64_t>(v.get<double>());
    else bad(key, "must be an integer");
    if (n < min || n > max) bad(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return n;
}

int64_t Arguments::integer(const char* key, int64_t fallback, int64_t min, int64_t max) const {
    return optional_integer(key, min, max).value_or(fallback);
}

std::vector<std::string> Arguments::strings(const char* key) const {
    std::vector<std::string> out;
    if (!has(key)) return out;
    const auto& v = args_[key];
    if (v.is_string()) {
        out.push_back(v.get<std::string>());
        return out;
    }
    if (!v.is_array()) bad(key, "must be a string or an array of strings");
    for (const auto& item : v) {
        if (!item.is_string()) bad(key, "must contain only strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

}  // namespace cowork::tools
