#include "template.hpp"

#include <cctype>

namespace cowork::hooks {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string defang(std::string s) {
    for (size_t at = s.find("{{"); at != std::string::npos; at = s.find("{{", at + 2)) s.insert(at + 1, " ");
    return s;
}

// Steps into an object by key; nullptr when absent.
const nlohmann::json* member(const nlohmann::json* at, std::string_view key) {
    if (!at->is_object()) return nullptr;
    auto it = at->find(std::string(key));
    return it == at->end() ? nullptr : &*it;
}

const nlohmann::json* element(const nlohmann::json* at, std::string_view digits) {
    if (!at->is_array() || digits.empty() || digits.size() > 9) return nullptr;
    size_t index = 0;
    for (char c : digits) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return nullptr;
        index = index * 10 + static_cast<size_t>(c - '0');
    }
    return index < at->size() ? &(*at)[index] : nullptr;
}

}  // namespace

std::optional<nlohmann::json> lookup(const nlohmann::json& doc, std::string_view path) {
    path = trim(path);
    const nlohmann::json* at = &doc;
    size_t i = 0;
    if (path == ".") return doc;
    while (i < path.size()) {
        if (path[i] == '[') {
            const size_t close = path.find(']', i);
            if (close == std::string_view::npos) return std::nullopt;
            at = element(at, path.substr(i + 1, close - i - 1));
            i = close + 1;
        } else {
            if (path[i] == '.') {
                if (i == 0 || i + 1 >= path.size()) return std::nullopt;
                ++i;
            }
            const size_t end = path.find_first_of(".[", i);
            const auto key = path.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
            if (key.empty()) return std::nullopt;
            at = member(at, key);
            i = end == std::string_view::npos ? path.size() : end;
        }
        if (!at) return std::nullopt;
    }
    return *at;
}

std::string to_text(const nlohmann::json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_null()) return "";
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string render(std::string_view tmpl, const nlohmann::json& doc) {
    std::string out;
    size_t i = 0;
    while (i < tmpl.size()) {
        const size_t open = tmpl.find("{{", i);
        if (open == std::string_view::npos) break;
        const size_t close = tmpl.find("}}", open + 2);
        if (close == std::string_view::npos) break;  // an unclosed "{{" is literal text
        out.append(tmpl.substr(i, open - i));
        if (auto v = lookup(doc, tmpl.substr(open + 2, close - open - 2))) out += defang(to_text(*v));
        i = close + 2;
    }
    out.append(tmpl.substr(i));
    return out;
}

}  // namespace cowork::hooks
