#include "skills/catalog.hpp"

#include <algorithm>
#include <fstream>

namespace cowork::kernel::skills {
namespace {

constexpr uintmax_t kMaxSkillFile = 256 * 1024;

std::vector<std::filesystem::path> json_files(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file(ec) && e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

Result<Skill> read_skill(const std::filesystem::path& file, const std::string& source) {
    std::error_code ec;
    if (std::filesystem::file_size(file, ec) > kMaxSkillFile)
        return make_error("skill.invalid", file.string() + ": larger than 256 KiB");
    std::ifstream in(file);
    Json doc = Json::parse(in, nullptr, false);
    if (doc.is_discarded()) return make_error("skill.invalid", file.string() + ": not valid JSON");
    return parse_skill(doc, source, file);
}

}  // namespace

const Skill* Catalog::find(const std::string& id) const {
    auto it = skills.find(id);
    return it == skills.end() ? nullptr : &it->second;
}

Json Catalog::to_json() const {
    Json list = Json::array();
    for (const auto& [id, s] : skills) list.push_back(s.to_json(false));
    Json problems_json = Json::array();
    for (const auto& p : problems) problems_json.push_back(p.message);
    return {{"skills", list}, {"problems", problems_json}, {"shadowed", shadowed}};
}

Catalog load_catalog(const std::vector<SkillRoot>& roots) {
    Catalog c;
    for (const auto& root : roots) {
        for (const auto& file : json_files(root.dir)) {
            auto skill = read_skill(file, root.source);
            if (!skill) {
                c.problems.push_back(skill.error());
                continue;
            }
            if (const Skill* winner = c.find(skill->id)) {
                c.shadowed.push_back(skill->id + " (" + root.source + ") shadowed by " + winner->source);
                continue;
            }
            c.skills.emplace(skill->id, std::move(*skill));
        }
    }
    return c;
}

std::string prompt_listing(const Catalog& catalog, size_t max_skills, size_t max_bytes) {
    constexpr size_t kMaxDescription = 120;
    std::string lines;
    size_t shown = 0, enabled = 0;
    for (const auto& [id, s] : catalog.skills) {
        if (!s.enabled) continue;
        ++enabled;
        std::string description = s.description.substr(0, s.description.find('\n'));
        if (description.size() > kMaxDescription) description = description.substr(0, kMaxDescription - 3) + "...";
        std::string line = "- " + id + (description.empty() ? "" : ": " + description) + "\n";
        if (shown >= max_skills || lines.size() + line.size() > max_bytes) continue;
        lines += line;
        ++shown;
    }
    if (enabled == 0) return "";
    std::string out = "Skills (reusable task recipes; a task started with one gets its prompt; the user runs them with "
                      "`cowork run --skill ID --param name=value`):\n" + lines;
    if (shown < enabled) out += "- ... and " + std::to_string(enabled - shown) + " more (`cowork skills` lists all)\n";
    return out;
}

std::vector<SkillRoot> standard_skill_roots(const std::filesystem::path& workspace,
                                            const std::filesystem::path& user_dir,
                                            const std::filesystem::path& bundled_dir) {
    std::vector<SkillRoot> roots;
    if (!workspace.empty()) {
        roots.push_back({"workspace", workspace / ".cowork" / "skills"});
        roots.push_back({"workspace", workspace / "skills"});
    }
    roots.push_back({"user", user_dir});
    roots.push_back({"bundled", bundled_dir});
    return roots;
}

}  // namespace cowork::kernel::skills
