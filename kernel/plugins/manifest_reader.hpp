// kernel/plugins/manifest_reader.hpp — cowork.plugin.json → Manifest, without running plugin code.
//
// Three steps, each with its own failure: read (file + JSON syntax), schema
// (manifests/cowork.plugin.schema.json), semantics the schema cannot express
// (id prefix = type, parsable ranges, library present next to the manifest).
#pragma once

#include "core/result.hpp"
#include "plugins/json_schema.hpp"
#include "plugins/manifest.hpp"

#include <filesystem>

namespace cowork::kernel::plugins {

inline constexpr const char* kManifestFile = "cowork.plugin.json";

// The JSON document, or Error{"manifest.unreadable"} whose message carries
// nlohmann's "line N, column M" for syntax errors.
Result<Json> read_manifest_json(const std::filesystem::path& file);

// Schema + semantic validation and conversion. `dir` is the plugin directory
// (the manifest's parent). Error{"manifest.invalid"}: every message starts
// with the JSON pointer of the offending key.
Result<Manifest> parse_manifest(const Json& doc, const std::filesystem::path& dir, const JsonSchema& schema);

// The manifest schema: from `path` when given and usable, otherwise the copy
// embedded at build time, so a missing file never disables validation.
// `source` (optional) receives "file" or "embedded".
JsonSchema load_manifest_schema(const std::filesystem::path& path, std::string* source = nullptr);

// The copy of manifests/cowork.plugin.schema.json compiled into the binary.
const char* embedded_manifest_schema();

}  // namespace cowork::kernel::plugins
