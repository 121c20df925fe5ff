// Lexical path helpers. Nothing here touches the file system: these only
// prepare strings for the confined walk in confinement.cpp.
#include "cowork_tools/path_text.hpp"

namespace cowork::tools {

std::vector<std::string> split_components(std::string_view path) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t slash = path.find('/', start);
        const size_t end = slash == std::string_view::npos ? path.size() : slash;
        if (end > start) parts.emplace_back(path.substr(start, end - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return parts;
}

std::string join_components(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += '/';
        out += p;
    }
    return out;
}

std::string normalize_absolute(std::string_view path) {
    std::vector<std::string> kept;
    for (auto& part : split_components(path)) {
        if (part == ".") continue;
        if (part == "..") {
            if (!kept.empty()) kept.pop_back();
            continue;
        }
        kept.push_back(std::move(part));
    }
    return "/" + join_components(kept);
}

bool is_within(std::string_view path, std::string_view root) {
    if (root == "/") return !path.empty() && path.front() == '/';
    if (path.size() < root.size() || path.compare(0, root.size(), root) != 0) return false;
    return path.size() == root.size() || path[root.size()] == '/';
}

std::string relative_to(std::string_view path, std::string_view root) {
    if (path.size() == root.size()) return {};
    if (root == "/") return std::string(path.substr(1));
    return std::string(path.substr(root.size() + 1));
}

}  // namespace cowork::tools
