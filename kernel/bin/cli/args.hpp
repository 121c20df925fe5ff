// kernel/bin/cli/args.hpp — a small, strict command-line parser.
//
// Words before the first option form the command path ("plugins list");
// options are --name VALUE, --name=VALUE or boolean --flag. Unknown options
// are errors that name the option and point at --help.
#pragma once

#include "core/result.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cowork::kernel::cli {

struct OptionSpec {
    std::string name;        // without dashes
    bool takes_value = false;
    bool repeatable = false;
    std::string help;
    std::string value_name = "VALUE";
};

struct Args {
    std::vector<std::string> words;                         // command path + positionals
    std::map<std::string, std::vector<std::string>> values; // option → values
    std::map<std::string, bool> flags;

    bool flag(const std::string& name) const {
        auto it = flags.find(name);
        return it != flags.end() && it->second;
    }
    std::optional<std::string> value(const std::string& name) const {
        auto it = values.find(name);
        if (it == values.end() || it->second.empty()) return std::nullopt;
        return it->second.back();
    }
    std::vector<std::string> all(const std::string& name) const {
        auto it = values.find(name);
        return it == values.end() ? std::vector<std::string>{} : it->second;
    }
};

Result<Args> parse_args(int argc, char** argv, const std::vector<OptionSpec>& specs);

// "  --name VALUE   help" lines for --help output.
std::string describe_options(const std::vector<OptionSpec>& specs);

}  // namespace cowork::kernel::cli
