#include "plugins/resolver.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::plugins {
namespace {

ResolveNode node(std::string id, std::string version, std::vector<Dependency> deps = {}) {
    ResolveNode n;
    n.id = std::move(id);
    n.version = std::move(version);
    n.dependencies = std::move(deps);
    return n;
}

Dependency needs(std::string id, std::string range = "*", bool optional = false) {
    return {std::move(id), std::move(range), optional};
}

TEST(Resolver, TopologicalOrderBreaksTiesById) {
    auto r = resolve({node("tool.c", "1.0.0", {needs("tool.b")}), node("tool.z", "1.0.0"),
                      node("tool.b", "1.0.0", {needs("tool.a")}), node("tool.a", "1.0.0")});
    EXPECT_EQ(r.order, (std::vector<std::string>{"tool.a", "tool.b", "tool.c", "tool.z"}));
    for (const auto& [id, v] : r.verdicts) EXPECT_EQ(v.kind, Verdict::Kind::Ok) << id;
}

TEST(Resolver, CycleFailsEveryMemberAndPrintsIt) {
    auto r = resolve({node("tool.x", "1.0.0", {needs("tool.y")}), node("tool.y", "1.0.0", {needs("tool.x")}),
                      node("tool.after", "1.0.0", {needs("tool.x")})});
    EXPECT_EQ(r.verdicts["tool.x"].kind, Verdict::Kind::Failed);
    EXPECT_EQ(r.verdicts["tool.y"].kind, Verdict::Kind::Failed);
    EXPECT_EQ(r.verdicts["tool.x"].reason, "dependency cycle: tool.x → tool.y → tool.x");
    EXPECT_EQ(r.verdicts["tool.after"].kind, Verdict::Kind::Disabled);
    EXPECT_NE(r.verdicts["tool.after"].reason.find("requires tool.x, which is failed"), std::string::npos);
}

TEST(Resolver, LongerCyclePrintsThePathAround) {
    auto r = resolve({node("tool.a", "1.0.0", {needs("tool.b")}), node("tool.b", "1.0.0", {needs("tool.c")}),
                      node("tool.c", "1.0.0", {needs("tool.a")})});
    EXPECT_EQ(r.verdicts["tool.b"].reason, "dependency cycle: tool.a → tool.b → tool.c → tool.a");
}

TEST(Resolver, MissingRequiredDisablesOptionalIsFine) {
    auto r = resolve({node("tool.a", "1.0.0", {needs("tool.gone", "^1")}),
                      node("tool.b", "1.0.0", {needs("tool.gone", "*", true)})});
    EXPECT_EQ(r.verdicts["tool.a"].kind, Verdict::Kind::Disabled);
    EXPECT_EQ(r.verdicts["tool.a"].reason, "requires tool.gone (^1), which is not installed");
    EXPECT_EQ(r.verdicts["tool.b"].kind, Verdict::Kind::Ok);
}

TEST(Resolver, VersionOutOfRangeDisables) {
    auto r = resolve({node("tool.a", "1.4.0"), node("tool.b", "1.0.0", {needs("tool.a", ">=2.0.0")})});
    EXPECT_EQ(r.verdicts["tool.b"].kind, Verdict::Kind::Disabled);
    EXPECT_EQ(r.verdicts["tool.b"].reason, "requires tool.a >=2.0.0, but 1.4.0 is installed");
}

TEST(Resolver, DisablementCascadesNamingTheUpstream) {
    ResolveNode off = node("tool.a", "1.0.0");
    off.usable = false;
    off.unusable_reason = "disabled: disabled in config";
    auto r = resolve({off, node("tool.b", "1.0.0", {needs("tool.a")}), node("tool.c", "1.0.0", {needs("tool.b")})});
    EXPECT_EQ(r.verdicts["tool.b"].reason, "requires tool.a, which is disabled: disabled in config");
    EXPECT_EQ(r.verdicts["tool.c"].kind, Verdict::Kind::Disabled);
    EXPECT_NE(r.verdicts["tool.c"].reason.find("requires tool.b"), std::string::npos);
    EXPECT_EQ(r.verdicts.count("tool.a"), 0u) << "unusable inputs get no verdict";
}

TEST(Resolver, RequiredInterfaceNeedsAProvider) {
    ResolveNode user = node("tool.user", "1.0.0");
    user.requires_ = {"cowork.llm/1"};
    auto alone = resolve({user});
    EXPECT_EQ(alone.verdicts["tool.user"].reason, "requires interface cowork.llm/1, which no enabled plugin provides");
    ResolveNode provider = node("llm.x", "1.0.0");
    provider.provides = {"cowork.llm/1"};
    auto both = resolve({user, provider});
    EXPECT_EQ(both.verdicts["tool.user"].kind, Verdict::Kind::Ok);
}

}  // namespace
}  // namespace cowork::kernel::plugins
