#include "agent/elicitation_answer.hpp"

#include <algorithm>
#include <cctype>

namespace cowork::kernel::agent {
namespace {

std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

Json properties_of(const Json& schema) {
    return schema.is_object() && schema.contains("properties") && schema["properties"].is_object() ? schema["properties"]
                                                                                                  : Json::object();
}

// A typed value for a one-field form, from its text.
Result<Json> value_for(const std::string& text, const Json& property) {
    const std::string type = property.is_object() ? property.value("type", "string") : "string";
    if (type == "string") return Json(text);
    const Json parsed = Json::parse(text, nullptr, false);
    if (type == "boolean" && parsed.is_boolean()) return parsed;
    if (type == "integer" && parsed.is_number_integer()) return parsed;
    if (type == "number" && parsed.is_number()) return parsed;
    return make_error("INVALID_PARAMS", "the answer \"" + text + "\" is not a " + type);
}

}  // namespace

Result<Json> elicitation_answer(const std::string& text, const Json& requested_schema) {
    const std::string answer = trimmed(text);
    const std::string word = lower(answer);
    if (word == "decline" || word == "cancel") return Json{{"action", word}};
    const Json object = Json::parse(answer, nullptr, false);
    if (object.is_object()) return Json{{"action", "accept"}, {"content", object}};
    const Json props = properties_of(requested_schema);
    if (props.size() == 1) {
        auto value = value_for(answer, props.begin().value());
        if (!value) return value.error();
        return Json{{"action", "accept"}, {"content", {{props.begin().key(), *value}}}};
    }
    return make_error("INVALID_PARAMS",
                      "the answer is not a JSON object with the form's fields, nor \"decline\" or \"cancel\"");
}

std::string elicitation_question(const std::string& message, const Json& requested_schema) {
    const Json props = properties_of(requested_schema);
    std::string fields;
    for (auto it = props.begin(); it != props.end(); ++it)
        fields += (fields.empty() ? "" : ", ") + it.key() + " (" +
                  (it.value().is_object() ? it.value().value("type", "string") : std::string("string")) + ")";
    std::string how = props.size() == 1 ? "answer with the value" : "answer with a JSON object";
    return message + (fields.empty() ? "" : " — fields: " + fields) + ". A tool asks: " + how +
           ", or \"decline\" / \"cancel\".";
}

}  // namespace cowork::kernel::agent
