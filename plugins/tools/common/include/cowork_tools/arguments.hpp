// arguments.hpp — typed reads of a call's "arguments", throwing sdk::invalid
// (the kernel's "malformed arguments") with the argument's name.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cowork::tools {

class Arguments {
public:
    Arguments(const nlohmann::json& args, std::string tool);

    std::string required_string(const char* key) const;
    std::optional<std::string> string(const char* key) const;
    // First present key wins: lets a tool accept documented aliases.
    std::optional<std::string> string_any(std::initializer_list<const char*> keys) const;
    bool boolean(const char* key, bool fallback) const;
    // Integers are checked against [min, max].
    int64_t integer(const char* key, int64_t fallback, int64_t min, int64_t max) const;
    std::optional<int64_t> optional_integer(const char* key, int64_t min, int64_t max) const;
    // A string or an array of strings.
    std::vector<std::string> strings(const char* key) const;
    bool has(const char* key) const;

private:
    [[noreturn]] void bad(const char* key, const std::string& why) const;
    const nlohmann::json& args_;
    std::string tool_;
};

}  // namespace cowork::tools
