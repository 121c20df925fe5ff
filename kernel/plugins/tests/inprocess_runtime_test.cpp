#include "plugins/inprocess_runtime.hpp"

#include "plugins/manifest_reader.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace cowork::kernel::plugins {
namespace {

Manifest fixture(const std::string& id) {
    const auto dir = testing::fixture_root() / id;
    return parse_manifest(read_manifest_json(dir / kManifestFile).value(), dir, load_manifest_schema({})).value();
}

class InProcessRuntimeTest : public ::testing::Test {
protected:
    testing::TestHosts hosts;
    InProcessRuntime runtime;
    Result<Instance> create(const std::string& id) {
        const Manifest m = fixture(id);
        return runtime.create(m, hosts.factory()(m).value(), {});
    }
};

TEST_F(InProcessRuntimeTest, CreatesAGoodPlugin) {
    auto inst = create("tool.fx-a");
    ASSERT_TRUE(inst) << inst.error().message;
    ASSERT_NE(inst->table, nullptr);
    EXPECT_NE(inst->owner, nullptr);
    inst->table->destroy(inst->table->self);
    EXPECT_EQ(hosts.calls("destroy"), std::vector<std::string>{"tool.fx-a"});
}

TEST_F(InProcessRuntimeTest, MissingEntrySymbol) {
    auto inst = create("tool.fx-no-entry");
    ASSERT_FALSE(inst);
    EXPECT_EQ(inst.error().message, "missing symbol cowork_entry");
}

TEST_F(InProcessRuntimeTest, NewerAbiMinorIsRefused) {
    auto inst = create("tool.fx-newer-abi");
    ASSERT_FALSE(inst);
    EXPECT_EQ(inst.error().message, "built for ABI 1.3, kernel has 1.0: update CoWork");
}

TEST_F(InProcessRuntimeTest, StaleManifestIsRefused) {
    auto inst = create("tool.fx-stale");
    ASSERT_FALSE(inst);
    EXPECT_EQ(inst.error().code, "mismatch");
    EXPECT_NE(inst.error().message.find("library is version 1.0.0 but the manifest says 1.1.0"), std::string::npos);
}

TEST(CheckEntry, MajorMismatchAndIdMismatch) {
    Manifest m;
    m.id = "tool.x";
    m.version = "1.0.0";
    auto create = [](const cowork_host*, const cowork_plugin**, const cowork_sink*) -> cowork_status { return 0; };
    cowork_plugin_entry e{sizeof(cowork_plugin_entry), 2, 0, "tool.x", "1.0.0", create};
    EXPECT_EQ(check_entry(e, m).error().message, "built for ABI 2.0, kernel has 1.0: update CoWork");
    e.abi_major = COWORK_ABI_MAJOR;
    e.id = "tool.y";
    EXPECT_EQ(check_entry(e, m).error().code, "mismatch");
    e.id = "tool.x";
    e.struct_size = 8;
    EXPECT_EQ(check_entry(e, m).error().code, "abi");
    e.struct_size = sizeof(cowork_plugin_entry);
    EXPECT_TRUE(check_entry(e, m));
}

}  // namespace
}  // namespace cowork::kernel::plugins
