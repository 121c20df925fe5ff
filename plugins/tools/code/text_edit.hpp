// text_edit.hpp — the pure string part of edit_file: exact, unique-match
// replacement that keeps the file's line endings.
#pragma once

#include <string>
#include <string_view>

namespace cowork::tools::code {

struct EditRequest {
    std::string old_string;
    std::string new_string;
    bool replace_all = false;
};

struct EditOutcome {
    enum class Status { ok, not_found, ambiguous } status = Status::ok;
    size_t matches = 0;       // occurrences of old_string found
    size_t first_line = 0;    // 1-based line of the first replacement
    bool translated_crlf = false;
    std::string text;         // the new content when ok
};

// True when the text mostly uses CRLF line endings.
bool uses_crlf(std::string_view text);

// LF → CRLF, leaving existing CRLF alone.
std::string to_crlf(std::string_view text);

// Applies the edit to `content`. When the file uses CRLF and old_string has
// bare LFs only, both strings are translated to CRLF first, so an agent
// that thinks in '\n' still matches and the file keeps its endings.
EditOutcome apply_edit(const std::string& content, const EditRequest& request);

}  // namespace cowork::tools::code
