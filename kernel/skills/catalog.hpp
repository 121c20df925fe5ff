// kernel/skills/catalog.hpp — every skill a task can use, by precedence:
// the workspace's `skills/` (or `.cowork/skills/`) > the user's
// ($XDG_DATA_HOME/cowork/skills) > bundled (<prefix>/share/cowork/skills).
// A higher root's skill replaces a lower one with the same id; a broken
// file is reported, never fatal.
#pragma once

#include "skills/skill.hpp"

#include <map>
#include <optional>

namespace cowork::kernel::skills {

struct SkillRoot {
    std::string source;  // "workspace" | "user" | "bundled"
    std::filesystem::path dir;
};

struct Catalog {
    std::map<std::string, Skill> skills;  // by id, winners only
    std::vector<Error> problems;          // unreadable/invalid files
    std::vector<std::string> shadowed;    // "code-review (bundled) shadowed by workspace"

    const Skill* find(const std::string& id) const;
    Json to_json() const;
};

// Roots in precedence order (highest first).
Catalog load_catalog(const std::vector<SkillRoot>& roots);

// For an agent's system prompt: one line per enabled skill ("- id: the
// first line of its description"), at most `max_skills` lines and about
// `max_bytes` in all, so a large catalog cannot crowd out the task. Empty
// when there is no enabled skill.
std::string prompt_listing(const Catalog& catalog, size_t max_skills = 30, size_t max_bytes = 3000);

// The standard roots for a workspace folder (may be empty: no workspace).
std::vector<SkillRoot> standard_skill_roots(const std::filesystem::path& workspace,
                                            const std::filesystem::path& user_dir,
                                            const std::filesystem::path& bundled_dir);

}  // namespace cowork::kernel::skills
