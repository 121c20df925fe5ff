#include "skills/skill.hpp"

#include <regex>
#include <set>

namespace cowork::kernel::skills {
namespace {

const std::regex kIdPattern("^[a-z0-9][a-z0-9-]{0,63}$");
const std::regex kParamPattern("^[A-Za-z_][A-Za-z0-9_]{0,63}$");

Error field_error(const std::filesystem::path& file, const std::string& field, const std::string& what) {
    return make_error("skill.invalid", file.string() + ": " + field + ": " + what);
}

std::optional<std::string> string_field(const Json& doc, const char* key) {
    if (!doc.contains(key) || !doc[key].is_string()) return std::nullopt;
    return doc[key].get<std::string>();
}

}  // namespace

Json Skill::to_json(bool with_prompt) const {
    Json params = Json::array();
    for (const auto& p : parameters) {
        Json j{{"name", p.name}, {"description", p.description}, {"required", p.required}};
        if (p.default_value) j["default"] = *p.default_value;
        params.push_back(j);
    }
    Json j{{"id", id},     {"name", name},         {"description", description}, {"parameters", params},
           {"icon", icon}, {"category", category}, {"enabled", enabled},         {"source", source}};
    if (with_prompt) j["prompt"] = prompt;
    return j;
}

Result<Skill> parse_skill(const Json& doc, const std::string& source, const std::filesystem::path& file) {
    if (!doc.is_object()) return field_error(file, "(document)", "a skill is a JSON object");
    Skill s;
    s.source = source;
    s.file = file;
    auto id = string_field(doc, "id");
    if (!id || !std::regex_match(*id, kIdPattern))
        return field_error(file, "id", "required, lower-case letters, digits and '-' (e.g. \"code-review\")");
    s.id = *id;
    auto prompt = string_field(doc, "prompt");
    if (!prompt || prompt->empty()) return field_error(file, "prompt", "required, a non-empty string");
    s.prompt = *prompt;
    s.name = string_field(doc, "name").value_or(s.id);
    s.description = string_field(doc, "description").value_or("");
    s.icon = string_field(doc, "icon").value_or("");
    s.category = string_field(doc, "category").value_or("general");
    if (doc.contains("enabled") && !doc["enabled"].is_boolean()) return field_error(file, "enabled", "must be true or false");
    s.enabled = doc.value("enabled", true);
    std::set<std::string> seen;
    const Json params = doc.value("parameters", Json::array());
    if (!params.is_array()) return field_error(file, "parameters", "must be an array");
    for (size_t i = 0; i < params.size(); ++i) {
        const std::string where = "parameters[" + std::to_string(i) + "]";
        const Json& p = params[i];
        auto name = p.is_object() ? string_field(p, "name") : std::nullopt;
        if (!name || !std::regex_match(*name, kParamPattern))
            return field_error(file, where + ".name", "required, letters, digits and '_'");
        if (!seen.insert(*name).second) return field_error(file, where + ".name", "duplicate parameter " + *name);
        Parameter param{*name, string_field(p, "description").value_or(""), p.value("required", false), std::nullopt};
        if (p.contains("default")) {
            if (!p["default"].is_string()) return field_error(file, where + ".default", "must be a string");
            param.default_value = p["default"].get<std::string>();
        }
        s.parameters.push_back(std::move(param));
    }
    // Every placeholder in the prompt must be a declared parameter.
    static const std::regex placeholder("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
    for (std::sregex_iterator it(s.prompt.begin(), s.prompt.end(), placeholder), end; it != end; ++it)
        if (!seen.count((*it)[1].str()))
            return field_error(file, "prompt", "uses {{" + (*it)[1].str() + "}} but no parameter has that name");
    return s;
}

Result<std::string> render(const Skill& skill, const Json& params) {
    if (!params.is_object()) return make_error("skill.params", "skill parameters must be a JSON object");
    std::map<std::string, std::string> values;
    for (const auto& p : skill.parameters) {
        if (params.contains(p.name)) {
            const Json& v = params[p.name];
            values[p.name] = v.is_string() ? v.get<std::string>() : v.dump();
        } else if (p.default_value) {
            values[p.name] = *p.default_value;
        } else if (p.required) {
            return make_error("skill.params", "skill " + skill.id + " needs parameter '" + p.name + "'" +
                                                  (p.description.empty() ? "" : " (" + p.description + ")"));
        } else {
            values[p.name] = "";
        }
    }
    for (const auto& [k, v] : params.items())
        if (!values.count(k)) return make_error("skill.params", "skill " + skill.id + " has no parameter '" + k + "'");
    // One left-to-right pass over the template: inserted values are never
    // scanned again.
    static const std::regex placeholder("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
    std::string out;
    auto last = skill.prompt.cbegin();
    for (std::sregex_iterator it(skill.prompt.begin(), skill.prompt.end(), placeholder), end; it != end; ++it) {
        out.append(last, (*it)[0].first);
        out += values[(*it)[1].str()];
        last = (*it)[0].second;
    }
    out.append(last, skill.prompt.cend());
    return out;
}

}  // namespace cowork::kernel::skills
