#include "api/api.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace cowork::kernel;
using namespace cowork::kernel::api;

namespace {
Caller as(const std::string& role) { return *Caller::from_json({{"id", "t"}, {"role", role}}); }
void fill(Api& a) {
    EXPECT_TRUE(a.add({"health", kScopeRead, false, "liveness"}, [](const Caller&, const Json&) -> Result<Json> {
        return Json{{"ok", true}};
    }).ok());
    EXPECT_TRUE(a.add({"task.create", kScopeWrite, true, "start a task"}, [](const Caller& c, const Json& p) -> Result<Json> {
        if (!p.contains("prompt")) return make_error(kInvalidParams, "prompt is required");
        return Json{{"by", c.id}};
    }).ok());
    EXPECT_TRUE(a.add({"boom", kScopeRead, false, ""}, [](const Caller&, const Json&) -> Result<Json> {
        throw std::runtime_error("exploded");
    }).ok());
}
}  // namespace

TEST(Api, ScopeIsEnforcedAndNamed) {
    Api a;
    fill(a);
    auto r = a.call(as("read"), "task.create", {{"prompt", "x"}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kUnauthorized);
    EXPECT_EQ(r.error().details["missingScope"], "write");
    EXPECT_TRUE(a.call(as("operator"), "task.create", {{"prompt", "x"}}).ok());
    EXPECT_TRUE(a.call(as("read"), "health", {}).ok());
}

TEST(Api, UnknownMethodAndBadParams) {
    Api a;
    fill(a);
    EXPECT_EQ(a.call(as("admin"), "nope", {}).error().code, kUnknownMethod);
    EXPECT_EQ(a.call(as("admin"), "task.create", Json::array()).error().code, kInvalidParams);
    EXPECT_EQ(a.call(as("admin"), "task.create", {}).error().code, kInvalidParams);
}

TEST(Api, ExceptionsBecomeInternalError) {
    Api a;
    fill(a);
    auto r = a.call(as("read"), "boom", {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kInternalError);
}

TEST(Api, DuplicateRegistrationRefused) {
    Api a;
    fill(a);
    EXPECT_FALSE(a.add({"health", kScopeRead, false, ""}, nullptr).ok());
    EXPECT_EQ(a.describe().size(), 3u);
}

TEST(Caller, ScopesNarrowButNeverWiden) {
    auto c = Caller::from_json({{"id", "x"}, {"role", "read"}, {"scopes", {"read", "admin"}}});
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(c->has_scope("read"));
    EXPECT_FALSE(c->has_scope("admin"));
    EXPECT_TRUE(c->redacted());
    EXPECT_FALSE(Caller::from_json({{"id", "x"}, {"role", "root"}}).ok());
    EXPECT_FALSE(Caller::from_json({{"role", "admin"}}).ok());
}
