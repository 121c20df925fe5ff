#include "config/problem.hpp"

#include <algorithm>

namespace cowork::kernel::config {

std::string Problem::to_string() const {
    std::string where = file;
    if (line > 0) where += ":" + std::to_string(line) + ":" + std::to_string(column);
    return where + ": " + (severity == Severity::error ? "error" : "warning") + ": " + message;
}

Json Problem::to_json() const {
    return {{"severity", severity == Severity::error ? "error" : "warning"},
            {"file", file}, {"line", line}, {"column", column}, {"message", message}};
}

bool has_errors(const std::vector<Problem>& problems) {
    return std::any_of(problems.begin(), problems.end(), [](const auto& p) { return p.severity == Severity::error; });
}

Error problems_error(const std::vector<Problem>& problems) {
    std::string message = "the configuration has errors:";
    Json list = Json::array();
    for (const auto& p : problems) {
        message += "\n  " + p.to_string();
        list.push_back(p.to_json());
    }
    return make_error("config.invalid", message, {{"problems", list}});
}

}  // namespace cowork::kernel::config
