// kernel/skills/skill.hpp — a reusable prompt with parameters.
//
// A skill file is JSON:
//   {"id":"code-review","name":"Code review","description":"…",
//    "prompt":"Review {{path}} for {{focus}}…",
//    "parameters":[{"name":"path","description":"…","required":true},
//                  {"name":"focus","default":"bugs and clarity"}],
//    "icon":"🔍","category":"code","enabled":true}
#pragma once

#include "core/result.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cowork::kernel::skills {

struct Parameter {
    std::string name;
    std::string description;
    bool required = false;
    std::optional<std::string> default_value;
};

struct Skill {
    std::string id;
    std::string name;
    std::string description;
    std::string prompt;
    std::vector<Parameter> parameters;
    std::string icon;
    std::string category;
    bool enabled = true;
    std::string source;            // "workspace" | "user" | "bundled"
    std::filesystem::path file;

    Json to_json(bool with_prompt = true) const;
};

// Parses and checks one skill document; errors name the field.
Result<Skill> parse_skill(const Json& doc, const std::string& source, const std::filesystem::path& file);

// Fills {{name}} placeholders from `params` (then defaults). Unknown
// placeholders and missing required parameters are errors. Values are
// inserted literally: a value containing "{{x}}" is not expanded again, so
// text from a chat message cannot pull other parameters or secrets in.
Result<std::string> render(const Skill& skill, const Json& params);

}  // namespace cowork::kernel::skills
