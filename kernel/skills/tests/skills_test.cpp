#include "skills/catalog.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

using namespace cowork::kernel;
using namespace cowork::kernel::skills;
namespace fs = std::filesystem;

namespace {

struct Dirs {
    fs::path root = fs::temp_directory_path() / ("cowork-skills-" + std::to_string(::getpid()) + "-" +
                                                 std::to_string(reinterpret_cast<uintptr_t>(this)));
    Dirs() { fs::create_directories(root); }
    ~Dirs() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
    void write(const fs::path& rel, const Json& doc) {
        fs::create_directories((root / rel).parent_path());
        std::ofstream(root / rel) << doc.dump(2);
    }
};

Json skill_doc(const std::string& id, const std::string& prompt) {
    return {{"id", id},
            {"prompt", prompt},
            {"parameters", {{{"name", "path"}, {"required", true}}, {{"name", "tone"}, {"default", "plain"}}}}};
}

}  // namespace

TEST(Skills, RenderFillsParametersAndDefaultsWithoutReexpanding) {
    auto s = parse_skill(skill_doc("x", "Read {{path}} in a {{ tone }} tone."), "bundled", "x.json");
    ASSERT_TRUE(s.ok()) << s.error().message;
    auto out = render(*s, {{"path", "a/{{tone}}.md"}});
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(*out, "Read a/{{tone}}.md in a plain tone.") << "values are inserted literally";
    EXPECT_FALSE(render(*s, Json::object()).ok()) << "required parameter missing";
    auto unknown = render(*s, {{"path", "p"}, {"secret", "x"}});
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("secret"), std::string::npos);
}

TEST(Skills, InvalidDocumentsNameTheField) {
    EXPECT_NE(parse_skill(Json::array(), "b", "f").error().message.find("(document)"), std::string::npos);
    EXPECT_NE(parse_skill({{"id", "Bad Id"}, {"prompt", "x"}}, "b", "f").error().message.find("id"), std::string::npos);
    EXPECT_NE(parse_skill({{"id", "ok"}}, "b", "f").error().message.find("prompt"), std::string::npos);
    auto undeclared = parse_skill({{"id", "ok"}, {"prompt", "{{nope}}"}}, "b", "f");
    ASSERT_FALSE(undeclared.ok());
    EXPECT_NE(undeclared.error().message.find("{{nope}}"), std::string::npos);
    auto dup = parse_skill({{"id", "ok"}, {"prompt", "x"}, {"parameters", {{{"name", "a"}}, {{"name", "a"}}}}}, "b", "f");
    EXPECT_NE(dup.error().message.find("duplicate"), std::string::npos);
}

TEST(Skills, WorkspaceBeatsUserBeatsBundledAndBrokenFilesAreReported) {
    Dirs d;
    d.write("ws/skills/review.json", skill_doc("review", "workspace {{path}}"));
    d.write("user/review.json", skill_doc("review", "user {{path}}"));
    d.write("user/only-user.json", skill_doc("only-user", "u {{path}}"));
    d.write("bundled/review.json", skill_doc("review", "bundled {{path}}"));
    std::ofstream(d.root / "bundled/broken.json") << "{not json";
    const auto c = load_catalog(standard_skill_roots(d.root / "ws", d.root / "user", d.root / "bundled"));
    ASSERT_NE(c.find("review"), nullptr);
    EXPECT_EQ(c.find("review")->source, "workspace");
    EXPECT_NE(c.find("only-user"), nullptr);
    EXPECT_EQ(c.shadowed.size(), 2u);
    ASSERT_EQ(c.problems.size(), 1u);
    EXPECT_NE(c.problems[0].message.find("broken.json"), std::string::npos);
}

TEST(Skills, EveryBundledSkillIsValidAndRenders) {
    const char* src = std::getenv("COWORK_SOURCE_DIR");
    ASSERT_NE(src, nullptr) << "ctest sets COWORK_SOURCE_DIR";
    const auto c = load_catalog({{"bundled", fs::path(src) / "skills"}});
    EXPECT_TRUE(c.problems.empty()) << c.problems.front().message;
    EXPECT_GE(c.skills.size(), 5u);
    for (const auto& [id, s] : c.skills) {
        Json params = Json::object();
        for (const auto& p : s.parameters)
            if (p.required) params[p.name] = "x";
        auto out = render(s, params);
        EXPECT_TRUE(out.ok()) << id;
        EXPECT_EQ(out->find("{{"), std::string::npos) << id;
    }
}

TEST(Skills, PromptListingNamesEnabledSkillsAndIsCapped) {
    Dirs d;
    for (int i = 0; i < 5; ++i) {
        Json doc = skill_doc("s" + std::to_string(i), "Do {{path}}.");
        doc["description"] = "Skill number " + std::to_string(i) + ".\nSecond line never shown.";
        d.write("bundled/s" + std::to_string(i) + ".json", doc);
    }
    Json off = skill_doc("off", "Do {{path}}.");
    off["enabled"] = false;
    d.write("bundled/off.json", off);
    const auto catalog = load_catalog({{"bundled", d.root / "bundled"}});

    const std::string all = prompt_listing(catalog);
    EXPECT_NE(all.find("- s0: Skill number 0."), std::string::npos) << all;
    EXPECT_NE(all.find("- s4: Skill number 4."), std::string::npos);
    EXPECT_EQ(all.find("Second line"), std::string::npos);
    EXPECT_EQ(all.find("- off"), std::string::npos) << "disabled skills are not offered";

    const std::string capped = prompt_listing(catalog, 2);
    EXPECT_NE(capped.find("- s1:"), std::string::npos);
    EXPECT_EQ(capped.find("- s2:"), std::string::npos);
    EXPECT_NE(capped.find("and 3 more"), std::string::npos) << capped;

    EXPECT_EQ(prompt_listing(load_catalog({})), "") << "no skills: nothing added to the prompt";
}
