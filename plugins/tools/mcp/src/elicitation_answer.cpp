#include "elicitation_answer.hpp"

#include <cowork/sdk/error.hpp>

#include <cmath>
#include <string>

namespace cowork::mcp {
namespace {

using Json = nlohmann::json;

// "" when `value` fits the property schema's type (and enum); else what is wrong.
std::string type_problem(const Json& property, const Json& value) {
    if (!property.is_object()) return "";
    const std::string type = property.contains("type") && property["type"].is_string() ? property["type"].get<std::string>() : "";
    if (type == "string") {
        if (!value.is_string()) return "should be a string";
        if (property.contains("enum") && property["enum"].is_array()) {
            for (const auto& option : property["enum"])
                if (option == value) return "";
            return "is not one of the allowed values " + property["enum"].dump();
        }
        return "";
    }
    if (type == "integer") {
        const bool integral = value.is_number_integer() || value.is_number_unsigned() ||
                              (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>());
        return integral ? "" : "should be an integer";
    }
    if (type == "number") return value.is_number() ? "" : "should be a number";
    if (type == "boolean") return value.is_boolean() ? "" : "should be true or false";
    if (type == "array") return value.is_array() ? "" : "should be an array";
    return "";  // no type or one form mode does not define: nothing to check
}

std::string kind_of(const Json& v) {
    if (v.is_string()) return "string";
    if (v.is_boolean()) return "boolean";
    if (v.is_number()) return "number";
    if (v.is_array()) return "array";
    if (v.is_null()) return "null";
    return "object";
}

}  // namespace

Json complete_elicitation_answer(const Json& request_params, Json answer) {
    if (!answer.is_object()) throw sdk::invalid("the elicitation answer is not an object: " + answer.dump().substr(0, 200));
    const Json action = answer.value("action", Json());
    if (action != "accept" && action != "decline" && action != "cancel")
        throw sdk::invalid("the elicitation answer's action is " + action.dump() + "; expected \"accept\", \"decline\" or \"cancel\"");
    if (action != "accept") return answer;
    if (!answer.contains("content") || answer["content"].is_null()) answer["content"] = Json::object();
    Json& content = answer["content"];
    if (!content.is_object()) throw sdk::invalid("the accepted elicitation answer's content is a " + kind_of(content) + ", not an object");
    const Json schema = request_params.is_object() ? request_params.value("requestedSchema", Json::object()) : Json::object();
    const Json properties = schema.is_object() ? schema.value("properties", Json::object()) : Json::object();
    if (!properties.is_object()) return answer;
    for (const auto& [name, property] : properties.items()) {
        if (!content.contains(name)) {
            // SEP-1034: an omitted property takes the schema's default, when that default itself fits.
            if (property.is_object() && property.contains("default") && type_problem(property, property["default"]).empty())
                content[name] = property["default"];
            continue;
        }
        const std::string problem = type_problem(property, content[name]);
        if (!problem.empty())
            throw sdk::invalid("the elicitation answer's '" + name + "' " + problem + " (got " + kind_of(content[name]) + " " +
                               content[name].dump().substr(0, 100) + ")");
    }
    return answer;
}

}  // namespace cowork::mcp
