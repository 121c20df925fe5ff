// `ask` decisions: the task pauses, a person approves or denies, silence denies.
#include "fakes.hpp"

namespace cowork::kernel::agent::testing {
namespace {

std::string pending_approval(Harness& h, const std::string& task_id) {
    EXPECT_EQ(h.wait_state(task_id, TaskState::paused), TaskState::paused);
    auto pending = h.runtime->approvals().repo().list_pending(task_id);
    EXPECT_TRUE(pending.ok());
    EXPECT_EQ(pending->size(), 1u);
    return pending->empty() ? "" : pending->front().id;
}

Json tool_result_seen(Harness& h, size_t request) {
    return h.llm.requests().at(request)["messages"].back()["content"][0];
}

TEST(Approvals, GrantedCallRunsAndTheDeciderIsRecorded) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("w1", "tool.fake.write", {{"path", "x"}})}), text_turn("written")};
    const auto id = h.create("write x");
    const auto approval = pending_approval(h, id);
    auto row = h.runtime->approvals().repo().get(approval);
    EXPECT_EQ((*row)->tool, "tool.fake.write");
    EXPECT_EQ((*row)->request["arguments"]["path"], "x");
    ASSERT_TRUE(h.runtime->respond(approval, true, "user:alice", "fine").ok());
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    EXPECT_EQ(h.tools.calls(), (std::vector<std::string>{"write:x"}));
    row = h.runtime->approvals().repo().get(approval);
    EXPECT_EQ((*row)->status, "approved");
    EXPECT_EQ((*row)->decided_by, "user:alice");
    EXPECT_FALSE(h.runtime->respond(approval, false, "user:bob", "").ok()) << "decided once";
    bool journaled = false;
    for (const auto& e : h.events(id))
        if (e.type == "approval.decided") journaled = e.payload["decision"] == "approved" && e.payload["by"] == "user:alice";
    EXPECT_TRUE(journaled);
}

TEST(Approvals, DeniedCallIsAToolErrorTheModelCanAdaptTo) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("w1", "tool.fake.write", {{"path", "x"}})}), text_turn("ok, not writing")};
    const auto id = h.create("write x");
    ASSERT_TRUE(h.runtime->respond(pending_approval(h, id), false, "user:alice", "not today").ok());
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    EXPECT_TRUE(h.tools.calls().empty());
    const Json seen = tool_result_seen(h, 1);
    EXPECT_TRUE(seen["isError"].get<bool>());
    EXPECT_NE(seen["content"].get<std::string>().find("the user denied tool.fake.write (not today)"), std::string::npos)
        << seen.dump();
}

TEST(Approvals, UnansweredApprovalExpiresAsADenial) {
    Settings s = test_settings();
    s.approval_timeout = std::chrono::milliseconds(50);
    Harness h(s);
    h.llm.turns = {tool_turn({tool_call("w1", "tool.fake.write", {{"path", "x"}})}), text_turn("gave up")};
    const auto id = h.create("write x");
    ASSERT_EQ(h.wait_end(id), TaskState::completed);
    EXPECT_TRUE(h.tools.calls().empty());
    EXPECT_NE(tool_result_seen(h, 1)["content"].get<std::string>().find("nobody approved"), std::string::npos);
    bool expired = false;
    for (const auto& e : h.events(id))
        if (e.type == "approval.decided") expired = e.payload["decision"] == "expired";
    EXPECT_TRUE(expired);
}

TEST(Approvals, CancelWhilePausedEndsTheTask) {
    Harness h;
    h.llm.turns = {tool_turn({tool_call("w1", "tool.fake.write", {{"path", "x"}})})};
    const auto id = h.create("write x");
    (void)pending_approval(h, id);
    auto r = h.runtime->cancel(id, "test");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, "cancelled");
    EXPECT_TRUE(h.tools.calls().empty());
}

}  // namespace
}  // namespace cowork::kernel::agent::testing
