// template.hpp — "{{a.b[0].c}}" placeholders filled from a JSON body.
//
// One pass over the template: what a placeholder produces is appended to
// the output and never scanned again, and any "{{" inside it is defanged to
// "{ {" so a later renderer (a skill template, a prompt) cannot expand a
// sender-controlled value either. Missing paths render as "".
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cowork::hooks {

// The value at a path like "a.b[0].c" ("" or "." is the whole document);
// nullopt when any step is missing or the path is malformed.
std::optional<nlohmann::json> lookup(const nlohmann::json& doc, std::string_view path);

// Strings as they are, null as "", everything else as compact JSON.
std::string to_text(const nlohmann::json& value);

std::string render(std::string_view tmpl, const nlohmann::json& doc);

}  // namespace cowork::hooks
