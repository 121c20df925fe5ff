#include "core/redactor.hpp"
#include "policy/engine.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::policy {
namespace {

class RecordingSink : public AuditSink {
public:
    void record(const AuditRecord& r) noexcept override { records.push_back(r); }
    std::vector<AuditRecord> records;
};

Request request(std::string tool, bool read_only, std::string command = {}) {
    Request r;
    r.tool_id = std::move(tool);
    r.read_only = read_only;
    r.target.command = std::move(command);
    return r;
}

TEST(Audit, EveryDecisionIsRecorded) {
    auto sink = std::make_shared<RecordingSink>();
    auto engine = PolicyEngine::create(PolicyRules::builtin(), sink);
    ASSERT_TRUE(engine.ok());
    const Decision a = (*engine)->evaluate(request("tools.files.read", true));
    const Decision b = (*engine)->evaluate(request("tools.shell.run_command", false, "sudo ls"));
    const Decision c = (*engine)->evaluate(request("tools.files.write", false));
    const Decision d = (*engine)->check_plugin_permission({"tool.x", PluginPermission::process_exec, ""}, {});
    ASSERT_EQ(sink->records.size(), 4u);
    EXPECT_EQ(sink->records[0].decision.verdict, a.verdict);
    EXPECT_EQ(sink->records[1].decision.rule_id, b.rule_id);
    EXPECT_EQ(sink->records[1].request.value("tool", ""), "tools.shell.run_command");
    EXPECT_EQ(sink->records[2].decision.verdict, c.verdict);
    EXPECT_EQ(sink->records[3].decision.layer, Layer::manifest);
    EXPECT_EQ(sink->records[3].request.value("permission", ""), "process:exec");
}

TEST(Audit, SkipHonouredOnlyForReadOnlyAllows) {
    auto sink = std::make_shared<RecordingSink>();
    auto engine = PolicyEngine::create(PolicyRules::builtin(), sink);
    ASSERT_TRUE(engine.ok());
    const auto skip = Audit::skip_if_read_only_allow;
    EXPECT_EQ((*engine)->evaluate(request("tools.files.read", true), skip).verdict, Verdict::allow);
    EXPECT_EQ(sink->records.size(), 0u);
    (*engine)->evaluate(request("tools.files.write", false), skip);             // ask: recorded
    (*engine)->evaluate(request("tools.shell.run_command", true, "sudo x"), skip);  // deny: recorded
    EXPECT_EQ(sink->records.size(), 2u);
}

TEST(Audit, RequestTextIsRedacted) {
    Redactor::instance().add("sk-AUDIT-SECRET-123");
    auto sink = std::make_shared<RecordingSink>();
    auto engine = PolicyEngine::create(PolicyRules{}, sink);
    ASSERT_TRUE(engine.ok());
    (*engine)->evaluate(request("tools.shell.run_command", false, "curl -H 'Authorization: sk-AUDIT-SECRET-123' x"));
    ASSERT_EQ(sink->records.size(), 1u);
    EXPECT_EQ(sink->records[0].request.dump().find("sk-AUDIT-SECRET-123"), std::string::npos);
    Redactor::instance().clear();
}

}  // namespace
}  // namespace cowork::kernel::policy
