// Canonical request → Gemini generateContent body, and JSON Schema → the
// OpenAPI subset Gemini accepts.
#include "request.hpp"
#include "schema.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

namespace cowork::llm_gemini {
namespace {

Json conversation() {
    return Json::parse(R"({
      "requestId": "t1-turn3", "model": "gemini-2.5-flash", "system": "You are terse.",
      "messages": [
        {"role": "user", "content": [{"type": "text", "text": "Read both"},
                                     {"type": "image", "mediaType": "image/png", "data": "iVBORw0KGgo="}]},
        {"role": "assistant", "content": [
          {"type": "tool_call", "id": "gemini_call_abc_0", "name": "tool.files.read_file", "arguments": {"path": "a.md"}},
          {"type": "tool_call", "id": "srv-id-7", "name": "tool.files.stat", "arguments": {"path": "b.md"}}]},
        {"role": "tool", "content": [{"type": "tool_result", "toolCallId": "srv-id-7", "content": "42 bytes", "isError": false}]},
        {"role": "tool", "content": [{"type": "tool_result", "toolCallId": "gemini_call_abc_0", "content": "denied", "isError": true}]}
      ],
      "tools": [{"name": "tool.files.read_file", "description": "Read a file",
                 "inputSchema": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                                 "additionalProperties": false, "properties": {"path": {"type": "string", "format": "uri"}},
                                 "required": ["path", "ghost"]}},
                {"name": "tool.files.stat", "description": "Stat", "inputSchema": {"type": "object", "properties": {"path": {"type": "string"}}}},
                {"name": "tool.clock.now", "description": "Time", "inputSchema": {"type": "object", "properties": {}}}],
      "maxTokens": 1024, "temperature": 0.2
    })");
}

TEST(GeminiRequest, ContentsRolesAndParts) {
    const WireRequest w = build_request(conversation());
    const Json& c = w.body["contents"];
    ASSERT_EQ(c.size(), 3u);  // the two tool messages become one user turn
    EXPECT_EQ(c[0]["role"], "user");
    EXPECT_EQ(c[0]["parts"][0], Json({{"text", "Read both"}}));
    EXPECT_EQ(c[0]["parts"][1], Json::parse(R"({"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}})"));
    EXPECT_EQ(c[1]["role"], "model");
    // Our synthesized id is never sent; the server's own id is echoed.
    EXPECT_EQ(c[1]["parts"][0], Json::parse(R"({"functionCall":{"name":"tool_files_read_file","args":{"path":"a.md"}}})"));
    EXPECT_EQ(c[1]["parts"][1]["functionCall"]["id"], "srv-id-7");
}

TEST(GeminiRequest, FunctionResponsesFollowTheOrderOfTheCalls) {
    const WireRequest w = build_request(conversation());
    const Json& u = w.body["contents"][2];
    EXPECT_EQ(u["role"], "user");
    ASSERT_EQ(u["parts"].size(), 2u);
    // Results arrived stat-first; Gemini pairs by name and order, so they
    // are sent in the order of the calls.
    EXPECT_EQ(u["parts"][0], Json::parse(R"({"functionResponse":{"name":"tool_files_read_file","response":{"error":"denied"}}})"));
    EXPECT_EQ(u["parts"][1], Json::parse(R"({"functionResponse":{"name":"tool_files_stat","id":"srv-id-7","response":{"output":"42 bytes"}}})"));
}

TEST(GeminiRequest, SystemToolsAndGenerationConfig) {
    const Json b = build_request(conversation()).body;
    EXPECT_EQ(b["systemInstruction"], Json::parse(R"({"parts":[{"text":"You are terse."}]})"));
    EXPECT_EQ(b["generationConfig"], Json::parse(R"({"maxOutputTokens":1024,"temperature":0.2})"));
    const Json& decls = b["tools"][0]["functionDeclarations"];
    ASSERT_EQ(decls.size(), 3u);
    EXPECT_EQ(decls[0], Json::parse(R"({"name":"tool_files_read_file","description":"Read a file",
        "parameters":{"type":"OBJECT","properties":{"path":{"type":"STRING"}},"required":["path"]}})"));
    EXPECT_FALSE(decls[2].contains("parameters"));  // Gemini refuses an OBJECT without properties
}

TEST(GeminiRequest, ThoughtSignaturesGoBackWithTheirCalls) {
    const WireRequest w = build_request(conversation(), [](const std::string& id) -> std::optional<std::string> {
        if (id == "gemini_call_abc_0") return "c2lnbmF0dXJl";
        return std::nullopt;
    });
    EXPECT_EQ(w.body["contents"][1]["parts"][0]["thoughtSignature"], "c2lnbmF0dXJl");
    EXPECT_FALSE(w.body["contents"][1]["parts"][1].contains("thoughtSignature"));
}

TEST(GeminiRequest, ResultWithoutItsCallIsABadRequest) {
    Json c = Json::parse(R"({"model":"m","messages":[{"role":"tool","content":[{"type":"tool_result","toolCallId":"nope","content":"x"}]}]})");
    try {
        build_request(c);
        FAIL();
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "bad_request");
    }
}

TEST(GeminiSchema, DropsUnsupportedKeywordsAndRewritesTheRest) {
    const Json in = Json::parse(R"({
      "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "x", "type": "object",
      "additionalProperties": false,
      "$defs": {"mode": {"type": "string", "enum": ["fast", "slow"]}},
      "properties": {
        "name": {"type": ["string", "null"], "description": "who", "examples": ["bob"]},
        "count": {"type": "integer", "format": "int32", "minimum": 0, "exclusiveMaximum": 10},
        "kind": {"const": "file"},
        "mode": {"$ref": "#/$defs/mode"},
        "tags": {"type": "array", "items": {"type": "string", "format": "email"}, "uniqueItems": true},
        "either": {"oneOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}]},
        "opts": {"allOf": [{"type": "object", "properties": {"a": {"type": "boolean"}}, "required": ["a"]},
                           {"properties": {"b": {"type": "number", "format": "double"}}}]}
      },
      "required": ["name"]
    })");
    const Json out = to_gemini_schema(in);
    const Json expected = Json::parse(R"({
      "type": "OBJECT",
      "properties": {
        "name": {"type": "STRING", "nullable": true, "description": "who", "example": "bob"},
        "count": {"type": "INTEGER", "format": "int32", "minimum": 0},
        "kind": {"type": "STRING", "format": "enum", "enum": ["file"]},
        "mode": {"type": "STRING", "format": "enum", "enum": ["fast", "slow"]},
        "tags": {"type": "ARRAY", "items": {"type": "STRING"}},
        "either": {"nullable": true, "anyOf": [{"type": "STRING"}, {"type": "NUMBER"}]},
        "opts": {"type": "OBJECT", "properties": {"a": {"type": "BOOLEAN"}, "b": {"type": "NUMBER", "format": "double"}},
                 "required": ["a"]}
      },
      "required": ["name"]
    })");
    EXPECT_EQ(out, expected) << out.dump(2);
}

TEST(GeminiSchema, RecursiveRefsAreBounded) {
    const Json in = Json::parse(R"({"type":"object","properties":{"node":{"$ref":"#/$defs/n"}},
        "$defs":{"n":{"type":"object","properties":{"child":{"$ref":"#/$defs/n"}}}}})");
    const Json out = to_gemini_schema(in);
    EXPECT_EQ(out["properties"]["node"]["properties"]["child"]["type"], "OBJECT");
    EXPECT_LT(out.dump().size(), 20000u);
}

}  // namespace
}  // namespace cowork::llm_gemini
