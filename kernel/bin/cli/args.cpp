#include "bin/cli/args.hpp"

#include <algorithm>
#include <sstream>

namespace cowork::kernel::cli {
namespace {

const OptionSpec* find_spec(const std::vector<OptionSpec>& specs, const std::string& name) {
    auto it = std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
    return it == specs.end() ? nullptr : &*it;
}

}  // namespace

Result<Args> parse_args(int argc, char** argv, const std::vector<OptionSpec>& specs) {
    Args args;
    bool only_words = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (only_words || a.size() < 2 || a[0] != '-') {
            args.words.push_back(a);
            continue;
        }
        if (a == "--") {
            only_words = true;
            continue;
        }
        if (a == "-h") a = "--help";
        if (a.rfind("--", 0) != 0) return make_error("usage", "unknown option '" + a + "' (see --help)");
        std::string name = a.substr(2);
        std::optional<std::string> inline_value;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inline_value = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        const OptionSpec* spec = find_spec(specs, name);
        if (!spec) return make_error("usage", "unknown option '--" + name + "' (see --help)");
        if (!spec->takes_value) {
            if (inline_value) return make_error("usage", "option --" + name + " takes no value");
            args.flags[name] = true;
            continue;
        }
        std::string value;
        if (inline_value) {
            value = *inline_value;
        } else {
            if (i + 1 >= argc) return make_error("usage", "option --" + name + " needs a " + spec->value_name);
            value = argv[++i];
        }
        auto& slot = args.values[name];
        if (!spec->repeatable) slot.clear();
        slot.push_back(value);
    }
    return args;
}

std::string describe_options(const std::vector<OptionSpec>& specs) {
    std::ostringstream out;
    for (const auto& s : specs) {
        std::string left = "  --" + s.name + (s.takes_value ? " " + s.value_name : "");
        if (left.size() < 28) left.resize(28, ' ');
        else left += "  ";
        out << left << s.help << (s.repeatable ? " (repeatable)" : "") << "\n";
    }
    return out.str();
}

}  // namespace cowork::kernel::cli
