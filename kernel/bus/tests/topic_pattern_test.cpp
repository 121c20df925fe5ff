// Wildcard matching table and pattern/topic validation.
#include "bus/topic_pattern.hpp"

#include <gtest/gtest.h>

using cowork::kernel::bus::TopicPattern;
using cowork::kernel::bus::validate_topic;

namespace {

struct Case {
    const char* pattern;
    const char* topic;
    bool matches;
};

TEST(TopicPattern, MatchingTable) {
    const Case cases[] = {
        {"task.created", "task.created", true},   {"task.created", "task.deleted", false},
        {"task.created", "task", false},          {"task", "task.created", false},
        {"task.*", "task.created", true},         {"task.*", "task", false},
        {"task.*", "task.a.b", false},            {"*.created", "task.created", true},
        {"*", "task", true},                      {"*", "task.created", false},
        {"task.*.done", "task.x.done", true},     {"task.*.done", "task.x.y.done", false},
        {"task.#", "task", true},                 {"task.#", "task.created", true},
        {"task.#", "task.a.b.c", true},           {"task.#", "tasks.a", false},
        {"task.#", "taskx", false},               {"#", "anything.at.all", true},
        {"#", "x", true},                         {"*.#", "a", true},
        {"*.*.#", "a", false},                    {"a.*.#", "a.b.c.d", true},
        {"task.created", "task.createdx", false}, {"task.*", "tas.created", false},
    };
    for (const auto& c : cases) {
        auto p = TopicPattern::parse(c.pattern);
        ASSERT_TRUE(p.ok()) << c.pattern;
        EXPECT_EQ(p->matches(c.topic), c.matches) << c.pattern << " vs " << c.topic;
    }
}

TEST(TopicPattern, RejectsBadPatterns) {
    for (const char* bad : {"", ".", "a.", ".a", "a..b", "#.a", "a.#.b", "a*", "a.b#", "ta*sk.x", "a b",
                            "a/b"}) {
        auto p = TopicPattern::parse(bad);
        ASSERT_FALSE(p.ok()) << "'" << bad << "'";
        EXPECT_EQ(p.error().code, "bus.invalid_pattern");
    }
}

TEST(TopicPattern, TopicsMayNotContainWildcards) {
    EXPECT_TRUE(validate_topic("task.created").ok());
    EXPECT_TRUE(validate_topic("plugin.tool-hello.v_2").ok());
    EXPECT_FALSE(validate_topic("task.*").ok());
    EXPECT_FALSE(validate_topic("task.#").ok());
    EXPECT_FALSE(validate_topic("").ok());
    EXPECT_FALSE(validate_topic("task..x").ok());
    EXPECT_EQ(validate_topic("a.").error().code, "bus.invalid_topic");
}

}  // namespace
