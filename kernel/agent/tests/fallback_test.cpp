// The LLM fallback chain ([agent] fallback): a provider that is down or not
// running hands the turn to the next; a request the provider refused on its
// merits (auth, bad request) or a cancel does not fall through.
#include "agent/plugin_llm_client.hpp"

#include <cowork/sdk.hpp>

#include <gtest/gtest.h>

using namespace cowork;
using namespace cowork::kernel;
using namespace cowork::kernel::agent;

namespace {

// A provider answering through the real cowork_llm_v1 table the SDK builds.
class FakeProvider final : public sdk::LlmProvider {
public:
    FakeProvider(std::string model, std::string fail_code) : model_(std::move(model)), fail_code_(std::move(fail_code)) {}
    Json list_models(const Json&, sdk::Events&) override { return {{"models", {{{"id", model_}, {"contextWindow", 1000}}}}}; }
    Json complete(const Json& request, sdk::Events&) override {
        ++calls;
        if (!fail_code_.empty()) throw sdk::Error(COWORK_E_FAILED, fail_code_, "provider says " + fail_code_);
        return {{"message", {{"role", "assistant"}, {"content", {{{"type", "text"}, {"text", "from " + model_}}}}}},
                {"stopReason", "end_turn"},
                {"model", request.value("model", "")}};
    }
    int calls = 0;

private:
    std::string model_;
    std::string fail_code_;
};

InterfaceFinder finder(std::vector<std::pair<std::string, FakeProvider*>> providers) {
    return [providers](const std::string& iface) {
        std::vector<std::pair<std::string, const void*>> out;
        if (iface == COWORK_IFACE_LLM)
            for (const auto& [id, p] : providers) out.emplace_back(id, p->llm_table());
        return out;
    };
}

Json request() {
    return {{"requestId", "r1"}, {"messages", {{{"role", "user"}, {"content", {{{"type", "text"}, {"text", "hi"}}}}}}}};
}

}  // namespace

TEST(LlmFallback, ProviderDownFallsThroughToTheNextInTheChain) {
    FakeProvider primary("p-model", "unavailable"), backup("b-model", "");
    PluginLlmClient client(finder({{"llm.primary", &primary}, {"llm.backup", &backup}}), {"llm.backup:b-model"});
    auto r = client.complete({"llm.primary", "p-model"}, request(), {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ((*r)["provider"], "llm.backup");
    EXPECT_EQ((*r)["fallbackAttempts"], 2);
    EXPECT_EQ(primary.calls, 1);
    EXPECT_EQ(backup.calls, 1);
}

TEST(LlmFallback, AProviderThatIsNotRunningIsSkipped) {
    FakeProvider backup("b-model", "");
    PluginLlmClient client(finder({{"llm.backup", &backup}}), {"llm.backup"});
    auto r = client.complete({"llm.gone", "x"}, request(), {});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ((*r)["provider"], "llm.backup");
    EXPECT_EQ((*r)["model"], "b-model") << "a fallback without a model takes the provider's first";
}

TEST(LlmFallback, RefusalsOnTheMeritsDoNotFallThrough) {
    for (const std::string code : {"auth", "bad_request", "cancelled"}) {
        FakeProvider primary("p-model", code), backup("b-model", "");
        PluginLlmClient client(finder({{"llm.primary", &primary}, {"llm.backup", &backup}}), {"llm.backup:b-model"});
        auto r = client.complete({"llm.primary", "p-model"}, request(), {});
        ASSERT_FALSE(r.ok()) << code;
        EXPECT_EQ(r.error().code, code);
        EXPECT_EQ(backup.calls, 0) << code << " must not silently switch providers";
    }
}

TEST(LlmFallback, EveryProviderDownReportsTheLastError) {
    FakeProvider primary("p-model", "unavailable"), backup("b-model", "rate_limited");
    PluginLlmClient client(finder({{"llm.primary", &primary}, {"llm.backup", &backup}}), {"llm.backup:b-model"});
    auto r = client.complete({"llm.primary", "p-model"}, request(), {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "rate_limited");
    EXPECT_NE(r.error().message.find("llm.backup"), std::string::npos) << r.error().message;
}
