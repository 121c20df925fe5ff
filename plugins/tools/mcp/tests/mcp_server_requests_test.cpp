// Server requests, the pure parts: SEP-1034 default filling and loose type
// checks of elicitation answers, which call a server request belongs to,
// the declared capabilities, the stream mark, and the bounded workers.
#include "call_relation.hpp"
#include "client_capabilities.hpp"
#include "elicitation_answer.hpp"
#include "request_workers.hpp"
#include "stream_origin.hpp"

#include <cowork/sdk/error.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>

namespace cowork::mcp {
namespace {

using Json = nlohmann::json;

const Json kPerson = {
    {"message", "Who are you?"},
    {"requestedSchema",
     {{"type", "object"},
      {"properties",
       {{"name", {{"type", "string"}, {"default", "John Doe"}}},
        {"age", {{"type", "integer"}, {"default", 30}}},
        {"score", {{"type", "number"}, {"default", 95.5}}},
        {"status", {{"type", "string"}, {"enum", {"active", "inactive"}}, {"default", "active"}}},
        {"verified", {{"type", "boolean"}, {"default", true}}},
        {"nickname", {{"type", "string"}}}}}}}};

std::string error_of(const Json& params, const Json& answer) {
    try {
        complete_elicitation_answer(params, answer);
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), "invalid");
        return e.what();
    }
    return "";
}

TEST(ElicitationAnswer, AcceptedEmptyContentTakesEveryDefault) {
    const Json out = complete_elicitation_answer(kPerson, {{"action", "accept"}, {"content", Json::object()}});
    EXPECT_EQ(out["content"], (Json{{"name", "John Doe"}, {"age", 30}, {"score", 95.5}, {"status", "active"}, {"verified", true}}));
    EXPECT_TRUE(out["content"]["age"].is_number_integer());
    EXPECT_FALSE(out["content"].contains("nickname")) << "no default, nothing invented";
}

TEST(ElicitationAnswer, GivenValuesWinAndMissingContentIsFilled) {
    Json out = complete_elicitation_answer(kPerson, {{"action", "accept"}, {"content", {{"name", "Ada"}, {"verified", false}}}});
    EXPECT_EQ(out["content"]["name"], "Ada");
    EXPECT_EQ(out["content"]["verified"], false);
    EXPECT_EQ(out["content"]["age"], 30);
    out = complete_elicitation_answer(kPerson, {{"action", "accept"}});  // no content at all
    EXPECT_EQ(out["content"]["status"], "active");
}

TEST(ElicitationAnswer, DeclineAndCancelPassThroughUntouched) {
    EXPECT_EQ(complete_elicitation_answer(kPerson, {{"action", "decline"}}), (Json{{"action", "decline"}}));
    EXPECT_EQ(complete_elicitation_answer(kPerson, {{"action", "cancel"}}), (Json{{"action", "cancel"}}));
}

TEST(ElicitationAnswer, WrongTypesAreErrorsNamingTheProperty) {
    EXPECT_NE(error_of(kPerson, {{"action", "accept"}, {"content", {{"age", "thirty"}}}}).find("'age' should be an integer"),
              std::string::npos);
    EXPECT_NE(error_of(kPerson, {{"action", "accept"}, {"content", {{"age", 30.5}}}}).find("'age'"), std::string::npos);
    EXPECT_NE(error_of(kPerson, {{"action", "accept"}, {"content", {{"score", true}}}}).find("'score' should be a number"),
              std::string::npos);
    EXPECT_NE(error_of(kPerson, {{"action", "accept"}, {"content", {{"verified", "yes"}}}}).find("'verified'"),
              std::string::npos);
    EXPECT_NE(error_of(kPerson, {{"action", "accept"}, {"content", {{"status", "gone"}}}}).find("not one of the allowed"),
              std::string::npos);
    EXPECT_NE(error_of(kPerson, {{"action", "accept"}, {"content", "text"}}).find("not an object"), std::string::npos);
    EXPECT_NE(error_of(kPerson, {{"action", "maybe"}}).find("expected \"accept\""), std::string::npos);
    EXPECT_NE(error_of(kPerson, Json::array()).find("not an object"), std::string::npos);
    // Loose: an integral float is an integer.
    EXPECT_EQ(error_of(kPerson, {{"action", "accept"}, {"content", {{"age", 41.0}}}}), "");
}

TEST(ElicitationAnswer, ADefaultThatDoesNotFitItsTypeIsNotUsed) {
    const Json params = {{"requestedSchema", {{"properties", {{"n", {{"type", "integer"}, {"default", "seven"}}}}}}}};
    const Json out = complete_elicitation_answer(params, {{"action", "accept"}});
    EXPECT_FALSE(out["content"].contains("n"));
    // A schema without properties (or none at all) leaves the answer as it is.
    EXPECT_EQ(complete_elicitation_answer(Json::object(), {{"action", "accept"}, {"content", {{"x", 1}}}})["content"],
              (Json{{"x", 1}}));
}

TEST(CallRelation, TheAnswerStreamsRequestWins) {
    const std::map<int64_t, std::string> in_flight{{3, "call-a"}, {7, "call-b"}};
    EXPECT_EQ(relate_server_request(in_flight, Json(3)).value_or(-1), 3);
    EXPECT_EQ(relate_server_request(in_flight, Json(7)).value_or(-1), 7);
}

TEST(CallRelation, OneInFlightIsTheOneElseTheMostRecent) {
    EXPECT_EQ(relate_server_request({{5, "only"}}, std::nullopt).value_or(-1), 5);
    EXPECT_EQ(relate_server_request({{3, "a"}, {9, "b"}, {7, "c"}}, std::nullopt).value_or(-1), 9);
    // A stream of a request that is no call (e.g. a list) falls back to the same rule.
    EXPECT_EQ(relate_server_request({{3, "a"}, {9, "b"}}, Json(4)).value_or(-1), 9);
    EXPECT_EQ(relate_server_request({{3, "a"}}, Json("str-id")).value_or(-1), 3);
}

TEST(CallRelation, NoneInFlightIsNone) {
    EXPECT_FALSE(relate_server_request({}, std::nullopt).has_value());
    EXPECT_FALSE(relate_server_request({}, Json(1)).has_value());
}

TEST(ClientCapabilities, ElicitationFormAndSamplingOnlyWithAnAnswerer) {
    EXPECT_EQ(client_capabilities("2025-11-25", true),
              (Json{{"elicitation", {{"form", Json::object()}}}, {"sampling", Json::object()}}));
    EXPECT_EQ(client_capabilities("2025-06-18", true), (Json{{"elicitation", Json::object()}, {"sampling", Json::object()}}));
    EXPECT_EQ(client_capabilities("2025-11-25", false), Json::object());
}

TEST(StreamOrigin, MarksOnlyRequestsForTheScopeOfTheStream) {
    EXPECT_FALSE(StreamOrigin::current().has_value());
    {
        const StreamOrigin outer(Json{{"jsonrpc", "2.0"}, {"id", 4}, {"method", "tools/call"}});
        EXPECT_EQ(StreamOrigin::current().value_or(Json()), Json(4));
        {
            const StreamOrigin inner(Json{{"jsonrpc", "2.0"}, {"method", "notifications/initialized"}});
            EXPECT_FALSE(StreamOrigin::current().has_value());
        }
        EXPECT_EQ(StreamOrigin::current().value_or(Json()), Json(4));
        std::optional<Json> elsewhere = Json("unset");
        std::thread([&] { elsewhere = StreamOrigin::current(); }).join();
        EXPECT_FALSE(elsewhere.has_value()) << "the mark belongs to the reading thread only";
    }
    EXPECT_FALSE(StreamOrigin::current().has_value());
}

TEST(RequestWorkers, BoundedAndCloseWaitsForTheRunningOnes) {
    RequestWorkers workers(2);
    std::mutex m;
    std::condition_variable cv;
    bool release = false;
    std::atomic<int> finished{0};
    auto blocking = [&] {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return release; });
        ++finished;
    };
    EXPECT_TRUE(workers.try_run(blocking));
    EXPECT_TRUE(workers.try_run(blocking));
    EXPECT_FALSE(workers.try_run(blocking)) << "a third concurrent answer is refused";
    EXPECT_EQ(workers.running(), 2u);
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        {
            std::lock_guard lock(m);
            release = true;
        }
        cv.notify_all();
    });
    workers.close();
    EXPECT_EQ(finished.load(), 2) << "close() returned before its workers finished";
    EXPECT_FALSE(workers.try_run([] {})) << "closed workers take no more work";
    releaser.join();
}

TEST(RequestWorkers, AFinishedWorkerFreesItsSlot) {
    RequestWorkers workers(1);
    std::atomic<bool> ran{false};
    EXPECT_TRUE(workers.try_run([&] { ran = true; }));
    for (int i = 0; i < 200 && workers.running() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    EXPECT_TRUE(ran.load());
    EXPECT_TRUE(workers.try_run([] {}));
}

}  // namespace
}  // namespace cowork::mcp
