// End to end against Debian's headless Chromium and a local HTTP server.
// Each test launches its own browser (a fresh profile) and closes it.
#include "chromium_launcher.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

using namespace cowork::browser;
using namespace cowork::browser::testing;

namespace {

const char* kFormPage = R"(<!doctype html><html><head><title>Form Test</title></head>
<body style="background:#ff0000;margin:0">
<h1>Order form</h1>
<label for="name">Name</label> <input id="name" type="text">
<label for="color">Color</label>
<select id="color"><option value="r">Red</option><option value="g">Green</option><option value="b">Blue</option></select>
<button id="go" onclick="document.getElementById('out').textContent =
  'Submitted: ' + document.getElementById('name').value + ' / ' + document.getElementById('color').value">Submit</button>
<div id="out"></div>
<div style="height:3000px"></div>
<script>console.log('page-ready', 42);</script>
</body></html>)";

std::map<std::string, HttpServer::Response> routes() {
    return {{"/", {200, kFormPage, ""}},
            {"/second", {200, "<html><head><title>Second</title></head><body><p>Second page</p></body></html>", ""}},
            {"/to-private", {302, "", "http://10.1.2.3:9/internal"}}};
}

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

uint32_t be32(const std::string& s, size_t at) {
    return (uint32_t(uint8_t(s[at])) << 24) | (uint32_t(uint8_t(s[at + 1])) << 16) | (uint32_t(uint8_t(s[at + 2])) << 8) |
           uint8_t(s[at + 3]);
}

// "ref=eN" on the line that contains `needle`, or "".
std::string ref_on_line(const std::string& snapshot, const std::string& needle) {
    std::istringstream in(snapshot);
    for (std::string line; std::getline(in, line);)
        if (line.find(needle) != std::string::npos) {
            const auto at = line.find("[ref=");
            if (at != std::string::npos) return line.substr(at + 5, line.find(']', at) - at - 5);
        }
    return "";
}

class BrowserE2E : public ::testing::Test {
protected:
    void SetUp() override {
        if (find_chromium("").empty()) GTEST_SKIP() << "no chromium binary (apt-get install chromium)";
    }
};

TEST_F(BrowserE2E, FormFlowCaptureTabsHistoryAndCleanClose) {
    HttpServer server(routes());
    Harness h(Json{{"allowed_hosts", {"127.0.0.1"}}});

    Json r = h.call("navigate", {{"url", server.url("/")}});
    ASSERT_FALSE(is_error(r)) << text_of(r);
    EXPECT_EQ(r["data"]["title"], "Form Test");

    r = h.call("snapshot");
    ASSERT_FALSE(is_error(r)) << text_of(r);
    const std::string snap = text_of(r);
    const std::string name_ref = ref_on_line(snap, "textbox \"Name\"");
    const std::string color_ref = ref_on_line(snap, "combobox \"Color\"");
    const std::string button_ref = ref_on_line(snap, "button \"Submit\"");
    ASSERT_FALSE(name_ref.empty()) << snap;
    ASSERT_FALSE(color_ref.empty()) << snap;
    ASSERT_FALSE(button_ref.empty()) << snap;
    // Refs are stable: a second snapshot names the same elements the same way.
    EXPECT_EQ(ref_on_line(text_of(h.call("snapshot")), "button \"Submit\""), button_ref);

    ASSERT_FALSE(is_error(r = h.call("fill", {{"ref", name_ref}, {"value", "Ada Lovelace"}}))) << text_of(r);
    ASSERT_FALSE(is_error(r = h.call("select", {{"ref", color_ref}, {"values", "Green"}}))) << text_of(r);
    EXPECT_EQ(r["data"]["selected"], Json::array({"g"}));
    ASSERT_FALSE(is_error(r = h.call("click", {{"ref", button_ref}}))) << text_of(r);
    r = h.call("get_text", {{"selector", "#out"}});
    EXPECT_EQ(text_of(r), "Submitted: Ada Lovelace / g");

    // Typing and key presses reach the page as key events.
    ASSERT_FALSE(is_error(r = h.call("fill", {{"selector", "#name"}, {"value", ""}}))) << text_of(r);
    ASSERT_FALSE(is_error(r = h.call("type", {{"selector", "#name"}, {"text", "Bob"}}))) << text_of(r);
    ASSERT_FALSE(is_error(r = h.call("press", {{"keys", {"Backspace", "x"}}}))) << text_of(r);
    EXPECT_EQ(h.call("evaluate", {{"expression", "document.getElementById('name').value"}})["data"]["value"], "Box");

    r = h.call("evaluate", {{"expression", "({sum: 1 + 2, list: [1, 'a']})"}});
    ASSERT_FALSE(is_error(r)) << text_of(r);
    EXPECT_EQ(r["data"]["value"], Json({{"sum", 3}, {"list", {1, "a"}}}));
    r = h.call("evaluate", {{"expression", "(() => { throw new Error('boom') })()"}});
    EXPECT_TRUE(is_error(r));
    EXPECT_NE(text_of(r).find("boom"), std::string::npos);

    r = h.call("console_logs");
    EXPECT_NE(text_of(r).find("page-ready 42"), std::string::npos) << text_of(r);

    r = h.call("scroll", {{"direction", "down"}, {"amount", 500}});
    ASSERT_FALSE(is_error(r)) << text_of(r);
    EXPECT_GT(r["data"]["y"].get<double>(), 0);

    // Screenshot: a real PNG with a sane header, inside the workspace.
    r = h.call("screenshot", {{"path", "shots/form.png"}, {"fullPage", true}});
    ASSERT_FALSE(is_error(r)) << text_of(r);
    const std::string png = read_bytes(h.workspace() / "shots/form.png");
    ASSERT_GT(png.size(), 2000u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_EQ(png.substr(12, 4), "IHDR");
    EXPECT_GT(be32(png, 16), 0u);
    EXPECT_GT(be32(png, 20), 800u);  // full page: taller than the viewport
    EXPECT_TRUE(is_error(h.call("screenshot", {{"path", "../escape.png"}})));

    r = h.call("pdf", {{"path", "doc/page.pdf"}});
    ASSERT_FALSE(is_error(r)) << text_of(r);
    EXPECT_EQ(read_bytes(h.workspace() / "doc/page.pdf").substr(0, 5), "%PDF-");

    // History.
    ASSERT_FALSE(is_error(r = h.call("navigate", {{"url", server.url("/second")}}))) << text_of(r);
    ASSERT_FALSE(is_error(r = h.call("back"))) << text_of(r);
    EXPECT_EQ(r["data"]["url"], server.url("/"));
    ASSERT_FALSE(is_error(r = h.call("forward"))) << text_of(r);
    EXPECT_EQ(r["data"]["url"], server.url("/second"));
    ASSERT_FALSE(is_error(r = h.call("reload"))) << text_of(r);
    EXPECT_EQ(r["data"]["title"], "Second");

    // Tabs.
    r = h.call("tabs", {{"action", "new"}, {"url", server.url("/")}});
    ASSERT_FALSE(is_error(r)) << text_of(r);
    ASSERT_EQ(r["data"]["tabs"].size(), 2u);
    EXPECT_EQ(h.call("get_text", {{"selector", "h1"}})["content"][0]["text"], "Order form");
    ASSERT_FALSE(is_error(r = h.call("tabs", {{"action", "switch"}, {"tabId", "t1"}}))) << text_of(r);
    EXPECT_EQ(text_of(h.call("get_text", {{"selector", "p"}})), "Second page");
    ASSERT_FALSE(is_error(r = h.call("tabs", {{"action", "close"}, {"tabId", "t2"}}))) << text_of(r);
    EXPECT_EQ(r["data"]["tabs"].size(), 1u);
    EXPECT_TRUE(is_error(h.call("tabs", {{"action", "switch"}, {"tabId", "t9"}})));

    // Close: Chromium and every helper process gone, profile deleted.
    const Json browser = r["data"]["browser"];
    const int pid = browser["pid"].get<int>();
    const std::string profile = browser["profileDir"].get<std::string>();
    ASSERT_TRUE(fs::exists(profile));
    EXPECT_FALSE(processes_with(profile).empty());
    r = h.call("close");
    ASSERT_FALSE(is_error(r)) << text_of(r);
    EXPECT_FALSE(group_alive(pid));
    EXPECT_TRUE(processes_with(profile).empty());
    EXPECT_FALSE(fs::exists(profile));
}

TEST_F(BrowserE2E, UrlPolicyRefusesLocalMetadataFileAndPrivateRedirects) {
    HttpServer server(routes());
    {
        Harness strict(Json::object());  // no allowed_hosts: loopback is private
        Json r = strict.call("navigate", {{"url", server.url("/")}});
        EXPECT_TRUE(is_error(r));
        EXPECT_NE(text_of(r).find("loopback"), std::string::npos) << text_of(r);
        r = strict.call("navigate", {{"url", "http://169.254.169.254/latest/meta-data/"}});
        EXPECT_TRUE(is_error(r));
        EXPECT_NE(text_of(r).find("metadata"), std::string::npos) << text_of(r);
        r = strict.call("navigate", {{"url", "file:///etc/passwd"}});
        EXPECT_TRUE(is_error(r));
        EXPECT_NE(text_of(r).find("scheme 'file:'"), std::string::npos) << text_of(r);
        // The page never loaded: the tab is still blank.
        EXPECT_EQ(strict.call("evaluate", {{"expression", "location.href"}})["data"]["value"], "about:blank");
    }
    Harness h(Json{{"allowed_hosts", {"127.0.0.1"}}});
    // An allowed page that redirects to a private address: Chromium follows
    // the redirect, and request interception refuses the second hop.
    Json r = h.call("navigate", {{"url", server.url("/to-private")}});
    EXPECT_TRUE(is_error(r));
    EXPECT_NE(text_of(r).find("ERR_BLOCKED_BY_CLIENT"), std::string::npos) << text_of(r);
    r = h.call("network_logs");
    EXPECT_NE(text_of(r).find("http://10.1.2.3:9/internal BLOCKED"), std::string::npos) << text_of(r);
    // A sub-request from an allowed page to a private address is blocked too.
    ASSERT_FALSE(is_error(r = h.call("navigate", {{"url", server.url("/second")}}))) << text_of(r);
    r = h.call("evaluate", {{"expression", "fetch('http://192.168.77.1/x').then(() => 'loaded', e => 'failed')"}});
    EXPECT_EQ(r["data"]["value"], "failed") << text_of(r);
    EXPECT_NE(text_of(h.call("network_logs")).find("http://192.168.77.1/x BLOCKED"), std::string::npos);
}

TEST_F(BrowserE2E, CrashedBrowserIsReapedCleanedAndReplaced) {
    HttpServer server(routes());
    Harness h(Json{{"allowed_hosts", {"127.0.0.1"}}});
    Json r = h.call("tabs");
    ASSERT_FALSE(is_error(r)) << text_of(r);
    const int pid = r["data"]["browser"]["pid"].get<int>();
    const std::string profile = r["data"]["browser"]["profileDir"].get<std::string>();
    ::kill(pid, SIGKILL);
    // The keeper reaps it and removes the profile; poll rather than sleep.
    for (int i = 0; i < 100 && fs::exists(profile); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(fs::exists(profile));
    r = h.call("navigate", {{"url", server.url("/second")}});
    ASSERT_FALSE(is_error(r)) << text_of(r);
    EXPECT_NE(text_of(r).find("started a new one"), std::string::npos) << text_of(r);
    const int pid2 = h.call("tabs")["data"]["browser"]["pid"].get<int>();
    EXPECT_NE(pid, pid2);
    EXPECT_FALSE(group_alive(pid));
}

}  // namespace
