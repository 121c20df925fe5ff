#include "core/redactor.hpp"

#include <gtest/gtest.h>

using cowork::kernel::Redactor;

TEST(Redactor, ReplacesEveryOccurrenceLongestFirst) {
    Redactor::instance().clear();
    Redactor::instance().add("sk-canary-1234");
    Redactor::instance().add("canary");
    const auto out = Redactor::instance().redact("key=sk-canary-1234 again sk-canary-1234 and canary");
    EXPECT_EQ(out.find("canary"), std::string::npos);
    EXPECT_NE(out.find("[REDACTED]"), std::string::npos);
    EXPECT_TRUE(Redactor::instance().contains_secret("x canary y"));
    Redactor::instance().clear();
}

TEST(Redactor, IgnoresTinyValues) {
    Redactor::instance().clear();
    Redactor::instance().add("ab");
    EXPECT_EQ(Redactor::instance().redact("abc"), "abc");
}
