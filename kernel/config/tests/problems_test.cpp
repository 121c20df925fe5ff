#include "config/load.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cowork::kernel::config {
namespace {

using cowork::testing::TempDir;

std::vector<Problem> problems_in(const std::string& text) {
    TempDir dir;
    const auto path = dir.path() / "cowork.toml";
    std::ofstream(path) << text;
    return check(path, {});
}

TEST(ConfigProblems, SyntaxErrorHasLineAndColumn) {
    const auto problems = problems_in("[kernel]\nlog_level = \"info\"\nstop_deadline_ms = = 5\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].severity, Severity::error);
    EXPECT_EQ(problems[0].line, 3u);
    EXPECT_EQ(problems[0].column, 20u);
    const std::string text = problems[0].to_string();
    EXPECT_NE(text.find("cowork.toml:3:20: error: "), std::string::npos) << text;
}

TEST(ConfigProblems, UnterminatedStringLocation) {
    auto loaded = load_text("# comment\n\n[hooks]\nbind = \"127.0.0.1\n", "x.toml");
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("x.toml:4:"), std::string::npos) << loaded.error().message;
    EXPECT_EQ(loaded.error().details["problems"][0]["line"], 4);
}

TEST(ConfigProblems, TypeErrorPointsAtTheValueAndSaysWhatIsExpected) {
    const auto problems = problems_in("[control_plane]\nbind = \"127.0.0.1\"\nport = \"18789\"\n");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].line, 3u);
    EXPECT_EQ(problems[0].column, 8u);
    EXPECT_NE(problems[0].message.find("control_plane.port must be an integer between 1 and 65535, got a string"),
              std::string::npos)
        << problems[0].message;
}

TEST(ConfigProblems, AllProblemsReportedNotJustTheFirst) {
    const auto problems = problems_in(R"([kernel]
log_level = "loud"
plugin_dirs = ["/a", 3]
stop_deadline_ms = 5
colour = "blue"

[scheduler]
missed_run_policy = "run_all"

[nonsense]
x = 1
[plugins]
"channel.x" = 5
)");
    ASSERT_EQ(problems.size(), 7u);
    auto at = [&](size_t i) { return std::make_pair(problems[i].line, problems[i].severity); };
    EXPECT_EQ(at(0), std::make_pair(2u, Severity::error));    // not one of the levels
    EXPECT_NE(problems[0].message.find("\"trace\""), std::string::npos);
    EXPECT_EQ(at(1), std::make_pair(3u, Severity::error));    // list item type
    EXPECT_EQ(problems[1].column, 22u);
    EXPECT_EQ(at(2), std::make_pair(4u, Severity::error));    // out of range
    EXPECT_NE(problems[2].message.find("between 100 and 600000"), std::string::npos);
    EXPECT_EQ(at(3), std::make_pair(5u, Severity::warning));  // unknown key
    EXPECT_NE(problems[3].message.find("known keys: log_level"), std::string::npos);
    EXPECT_EQ(at(4), std::make_pair(8u, Severity::error));
    EXPECT_EQ(at(5).second, Severity::warning);               // unknown section
    EXPECT_EQ(at(6), std::make_pair(13u, Severity::error));   // plugin entry not a table
}

TEST(ConfigProblems, UnknownKeyIsOnlyAWarning) {
    auto loaded = load_text("[kernel]\nlog_level = \"debug\"\nlog_colour = true\n", "c.toml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->config.kernel.log_level, "debug");
    ASSERT_EQ(loaded->warnings.size(), 1u);
    EXPECT_EQ(loaded->warnings[0].to_string().rfind("c.toml:3:14: warning: unknown key 'log_colour'", 0), 0u)
        << loaded->warnings[0].to_string();
}

TEST(ConfigProblems, PassthroughSectionsBecomeJson) {
    auto loaded = load_text(R"(
[plugins."channel.telegram"]
allowed = ["1", "2"]
limits = { per_minute = 20 }
[[policy.tool_rules]]
id = "r1"
decision = "deny"
tool = "tools.shell.**"
)",
                            "p.toml");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->config.plugins.at("channel.telegram")["limits"]["per_minute"], 20);
    EXPECT_EQ(loaded->config.policy["tool_rules"][0]["decision"], "deny");
    const Json table = loaded->config.policy_table();
    EXPECT_EQ(table["tool_rules"][0]["id"], "r1");
    EXPECT_EQ(table["defaults"]["side_effecting"], "ask");
}

}  // namespace
}  // namespace cowork::kernel::config
