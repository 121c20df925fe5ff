#include "search_provider.hpp"

#include "html_dom.hpp"

namespace cowork::web {

std::string plain_text(const std::string& html_fragment) {
    const std::string text = inner_text(*parse_html(html_fragment));
    std::string out;
    bool gap = false;
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            gap = !out.empty();
            continue;
        }
        if (gap) out += ' ';
        gap = false;
        out += c;
    }
    return out;
}

std::string join_url(std::string base, const std::string& path) {
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + path;
}

std::string str(const nlohmann::json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace cowork::web
