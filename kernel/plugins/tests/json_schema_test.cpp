#include "plugins/json_schema.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::plugins {
namespace {

JsonSchema compile(const char* text) { return JsonSchema::compile(Json::parse(text)).value(); }

std::vector<std::string> errors_of(const JsonSchema& s, const Json& doc) {
    std::vector<std::string> out;
    for (const auto& e : s.validate(doc)) out.push_back(e.to_string());
    return out;
}

TEST(JsonSchema, EnumErrorNamesPointerAndChoices) {
    auto s = compile(R"({"type":"object","properties":{"runtime":{"type":"object",
        "properties":{"kind":{"enum":["inprocess","process"]}}}}})");
    EXPECT_EQ(errors_of(s, Json::parse(R"({"runtime":{"kind":"thread"}})")),
              std::vector<std::string>{"/runtime/kind: must be one of inprocess, process"});
    EXPECT_TRUE(errors_of(s, Json::parse(R"({"runtime":{"kind":"process"}})")).empty());
}

TEST(JsonSchema, IntegerAcceptsWholeFloatsOnly) {
    auto s = compile(R"({"type":"integer"})");
    EXPECT_TRUE(s.validate(3).empty());
    EXPECT_TRUE(s.validate(3.0).empty());
    EXPECT_EQ(s.validate(3.5).size(), 1u);
    EXPECT_EQ(s.validate("3").size(), 1u);
}

TEST(JsonSchema, RequiredNamesTheMissingKey) {
    auto s = compile(R"({"type":"object","required":["id","version"]})");
    auto errors = s.validate(Json::parse(R"({"id":"x"})"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].pointer, "/version");
}

TEST(JsonSchema, AdditionalPropertiesFalseAndSchema) {
    auto closed = compile(R"({"properties":{"a":{}},"additionalProperties":false})");
    auto errors = closed.validate(Json::parse(R"({"a":1,"b":2})"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].pointer, "/b");
    auto typed = compile(R"({"additionalProperties":{"type":"string"}})");
    EXPECT_TRUE(typed.validate(Json::parse(R"({"x":"y"})")).empty());
    EXPECT_EQ(typed.validate(Json::parse(R"({"x":1})"))[0].pointer, "/x");
}

TEST(JsonSchema, PatternIsUnanchoredUnlessTheSchemaAnchors) {
    auto loose = compile(R"({"pattern":"b+"})");
    EXPECT_TRUE(loose.validate("abbbc").empty());
    auto anchored = compile(R"({"pattern":"^b+$"})");
    EXPECT_EQ(anchored.validate("abbbc").size(), 1u);
}

TEST(JsonSchema, LengthsCountCodePoints) {
    auto s = compile(R"({"minLength":2,"maxLength":3})");
    EXPECT_TRUE(s.validate("\xC3\xA9\xC3\xA9").empty());  // "éé": 4 bytes, 2 characters
    EXPECT_EQ(s.validate("a").size(), 1u);
    EXPECT_EQ(s.validate("abcd").size(), 1u);
}

TEST(JsonSchema, NumbersAndConst) {
    auto s = compile(R"({"minimum":1,"maximum":10,"exclusiveMaximum":10})");
    EXPECT_TRUE(s.validate(5).empty());
    EXPECT_EQ(s.validate(0).size(), 1u);
    EXPECT_EQ(s.validate(10).size(), 1u);
    auto c = compile(R"({"const":"x"})");
    EXPECT_TRUE(c.validate("x").empty());
    EXPECT_EQ(c.validate("y")[0].message, "must be x");
}

TEST(JsonSchema, ArraysItemsBoundsAndUniqueness) {
    auto s = compile(R"({"type":"array","minItems":1,"maxItems":3,"uniqueItems":true,"items":{"type":"string"}})");
    EXPECT_TRUE(s.validate(Json::parse(R"(["a","b"])")).empty());
    EXPECT_EQ(s.validate(Json::array()).size(), 1u);
    EXPECT_EQ(s.validate(Json::parse(R"(["a","b","c","d"])")).size(), 1u);
    EXPECT_EQ(s.validate(Json::parse(R"(["a","a"])"))[0].pointer, "/1");
    EXPECT_EQ(s.validate(Json::parse(R"(["a",2])"))[0].pointer, "/1");
}

TEST(JsonSchema, RefsResolveIntoDefs) {
    auto s = compile(R"({"$defs":{"v":{"type":"string","pattern":"^[0-9]+$"}},
                         "properties":{"version":{"$ref":"#/$defs/v"}}})");
    EXPECT_TRUE(s.validate(Json::parse(R"({"version":"12"})")).empty());
    auto errors = s.validate(Json::parse(R"({"version":"x"})"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].pointer, "/version");
}

TEST(JsonSchema, CompileRejectsBrokenSchemas) {
    EXPECT_FALSE(JsonSchema::compile(Json::parse(R"({"$ref":"#/$defs/missing"})")));
    EXPECT_FALSE(JsonSchema::compile(Json::parse(R"({"pattern":"(unclosed"})")));
    EXPECT_FALSE(JsonSchema::compile(Json::parse("42")));
}

TEST(JsonSchema, RefLoopsStopInsteadOfOverflowing) {
    auto s = compile(R"({"$defs":{"a":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"})");
    EXPECT_FALSE(s.validate(1).empty());
}

TEST(JsonSchema, CombinatorsAndTypeLists) {
    auto any = compile(R"({"anyOf":[{"type":"string"},{"type":"integer"}]})");
    EXPECT_TRUE(any.validate(1).empty());
    EXPECT_EQ(any.validate(true).size(), 1u);
    auto one = compile(R"({"oneOf":[{"minimum":0},{"maximum":10}]})");
    EXPECT_EQ(one.validate(5).size(), 1u);  // matches both
    EXPECT_TRUE(one.validate(20).empty());
    auto list = compile(R"({"type":["string","null"]})");
    EXPECT_TRUE(list.validate(nullptr).empty());
    EXPECT_EQ(list.validate(1)[0].message, "must be of type string, null");
}

TEST(JsonSchema, PointerEscapesSlashAndTilde) {
    EXPECT_EQ(child_pointer("/permissions", "a/b~c"), "/permissions/a~1b~0c");
}

TEST(JsonSchema, MaxErrorsCapsTheList) {
    auto s = compile(R"({"items":{"type":"string"}})");
    EXPECT_EQ(s.validate(Json::parse("[1,2,3,4,5]"), 2).size(), 2u);
}

}  // namespace
}  // namespace cowork::kernel::plugins
