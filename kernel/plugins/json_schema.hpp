// kernel/plugins/json_schema.hpp — a small JSON Schema (draft 2020-12 subset) validator.
//
// Used for plugin manifests and, later, for tool parameters, so it knows
// nothing about either. Supported keywords: type (incl. "integer"), required,
// properties, additionalProperties, pattern, enum, const, items, minItems,
// maxItems, minLength, maxLength, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, uniqueItems, allOf, anyOf, oneOf, not, and $ref to a
// JSON pointer inside the same document ("#/$defs/semver"). Unknown keywords
// are ignored, as the specification asks.
#pragma once

#include "core/result.hpp"

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace cowork::kernel::plugins {

// One violation: where (a JSON pointer into the instance, "" for the root)
// and what was expected.
struct SchemaError {
    std::string pointer;
    std::string message;

    // "/runtime/kind: must be one of inprocess, process"
    std::string to_string() const;
};

// A compiled schema. Immutable after compile(), so one instance may validate
// from many threads at once.
class JsonSchema {
public:
    // Checks the schema itself: every pattern compiles, every $ref resolves.
    static Result<JsonSchema> compile(Json schema);

    // Every violation found, in document order, at most `max_errors`.
    std::vector<SchemaError> validate(const Json& instance, size_t max_errors = 32) const;

    const Json& document() const noexcept { return *root_; }

private:
    struct Validation;
    using Patterns = std::map<std::string, std::regex>;

    JsonSchema(std::shared_ptr<const Json> root, std::shared_ptr<const Patterns> patterns)
        : root_(std::move(root)), patterns_(std::move(patterns)) {}

    std::shared_ptr<const Json> root_;
    std::shared_ptr<const Patterns> patterns_;  // pattern text → compiled regex
};

// Joins errors as "a; b; c" for a one-line message.
std::string join_errors(const std::vector<SchemaError>& errors, size_t max_shown = 5);

// Appends a key or index to a JSON pointer, escaping '~' and '/'.
std::string child_pointer(const std::string& parent, const std::string& key);

}  // namespace cowork::kernel::plugins
