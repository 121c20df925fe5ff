#include "text_edit.hpp"

#include <algorithm>

namespace cowork::tools::code {
namespace {

size_t count_occurrences(std::string_view text, std::string_view needle, size_t& first) {
    size_t count = 0;
    first = std::string_view::npos;
    for (size_t pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + needle.size())) {
        if (count++ == 0) first = pos;
    }
    return count;
}

bool has_bare_lf(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i)
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return true;
    return false;
}

}  // namespace

bool uses_crlf(std::string_view text) {
    size_t crlf = 0, lf = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\n') continue;
        if (i > 0 && text[i - 1] == '\r') ++crlf;
        else ++lf;
    }
    return crlf > 0 && crlf >= lf;
}

std::string to_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
        out += text[i];
    }
    return out;
}

EditOutcome apply_edit(const std::string& content, const EditRequest& request) {
    EditOutcome out;
    std::string old_s = request.old_string, new_s = request.new_string;
    if (uses_crlf(content) && has_bare_lf(old_s) && old_s.find("\r\n") == std::string::npos) {
        old_s = to_crlf(old_s);
        new_s = to_crlf(new_s);
        out.translated_crlf = true;
    }
    size_t first = 0;
    out.matches = count_occurrences(content, old_s, first);
    if (out.matches == 0) {
        out.status = EditOutcome::Status::not_found;
        return out;
    }
    if (out.matches > 1 && !request.replace_all) {
        out.status = EditOutcome::Status::ambiguous;
        return out;
    }
    out.first_line = 1 + static_cast<size_t>(std::count(content.begin(), content.begin() + static_cast<long>(first), '\n'));
    std::string result;
    result.reserve(content.size() + (new_s.size() > old_s.size() ? (new_s.size() - old_s.size()) * out.matches : 0));
    size_t from = 0;
    for (size_t pos = first; pos != std::string::npos; pos = content.find(old_s, from)) {
        result.append(content, from, pos - from);
        result += new_s;
        from = pos + old_s.size();
        if (!request.replace_all) break;
    }
    result.append(content, from, std::string::npos);
    out.text = std::move(result);
    return out;
}

}  // namespace cowork::tools::code
