// Snapshot rendering and ref stability, on a hand-made AX tree.
#include "key_codes.hpp"
#include "snapshot.hpp"
#include "tab.hpp"

#include <gtest/gtest.h>

using namespace cowork::browser;

namespace {
Json node(const std::string& id, const std::string& role, const std::string& name, std::vector<std::string> kids,
          int64_t backend = 0) {
    Json n{{"nodeId", id}, {"role", {{"value", role}}}, {"name", {{"value", name}}}, {"childIds", kids}};
    if (backend) n["backendDOMNodeId"] = backend;
    return n;
}
}  // namespace

TEST(Snapshot, RendersRolesNamesRefsAndFlattensGenerics) {
    Json nodes = Json::array({node("1", "RootWebArea", "Form", {"2"}, 1), node("2", "generic", "", {"3", "4"}, 2),
                              node("3", "textbox", "Name", {}, 30), node("4", "button", "Send", {"5"}, 40),
                              node("5", "StaticText", "Send", {})});
    nodes[2]["value"] = {{"value", "Ada"}};
    Tab tab("t1", "T", "S", true, 10);
    const auto snap = render_snapshot(nodes, [&](int64_t id) { return tab.ref_for(id); });
    EXPECT_NE(snap.text.find("- document \"Form\" [ref=e1]"), std::string::npos) << snap.text;
    EXPECT_NE(snap.text.find("  - textbox \"Name\" [ref=e2] value=\"Ada\""), std::string::npos) << snap.text;
    EXPECT_NE(snap.text.find("  - button \"Send\" [ref=e3]"), std::string::npos) << snap.text;
    EXPECT_EQ(snap.text.find("generic"), std::string::npos);
    EXPECT_EQ(snap.text.find("text \"Send\""), std::string::npos);  // same as the button's name
    EXPECT_EQ(snap.elements, 3u);
    // A second snapshot keeps the refs; a new node gets a new one.
    nodes[1]["childIds"] = Json::array({"6", "4"});
    nodes.push_back(node("6", "link", "Home", {}, 60));
    const auto again = render_snapshot(nodes, [&](int64_t id) { return tab.ref_for(id); });
    EXPECT_NE(again.text.find("button \"Send\" [ref=e3]"), std::string::npos) << again.text;
    EXPECT_NE(again.text.find("link \"Home\" [ref=e4]"), std::string::npos) << again.text;
    EXPECT_EQ(tab.node_of_ref.at("e3"), 40);
}

TEST(Keys, CombosAndUnknownKeys) {
    std::string error;
    const auto c = parse_combo("Control+Shift+a", error);
    ASSERT_TRUE(c) << error;
    EXPECT_EQ(c->modifiers, kControl | kShift);
    EXPECT_EQ(c->key.code, "KeyA");
    EXPECT_TRUE(c->key.text.empty());  // a shortcut types nothing
    EXPECT_EQ(parse_combo("Enter", error)->key.key_code, 13);
    EXPECT_FALSE(parse_combo("Hyper+x", error));
    EXPECT_FALSE(parse_combo("NoSuchKey", error));
}

TEST(RingBuffer, KeepsNewestAndCountsDropped) {
    RingBuffer r(3);
    for (int i = 0; i < 5; ++i) r.push({{"i", i}});
    EXPECT_EQ(r.size(), 3u);
    EXPECT_EQ(r.dropped(), 2u);
    EXPECT_EQ(r.tail(0)[0]["i"], 2);
    EXPECT_EQ(r.tail(1)[0]["i"], 4);
}
