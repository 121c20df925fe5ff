// End-to-end: the real coworkd loads frontend.hooks (enabled with the real
// CLI, token stored with `cowork secrets set`, configured through
// cowork.toml) and the tests speak HTTP to it over 127.0.0.1. Tasks run on
// the scripted LLM fixture; what they did is read back from the real
// SQLite database.
#include "http_client.hpp"
#include "process_helpers.hpp"
#include "signature.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <set>
#include <thread>

using hooks_test::Connection;
using hooks_test::HttpResponse;
using hooks_test::Json;
using hooks_test::post_json;
namespace e2e = cowork::e2e;
namespace fs = std::filesystem;

namespace {

const std::string kToken = "test-hooks-token-0123456789abcdef";

Json text_turn(const std::string& text) {
    return {{"message", {{"role", "assistant"}, {"content", Json::array({{{"type", "text"}, {"text", text}}})}}}};
}

Json write_turn(const std::string& path, const std::string& content) {
    return {{"message",
             {{"role", "assistant"},
              {"content", Json::array({{{"type", "tool_call"},
                                        {"id", "c1"},
                                        {"name", "tool.files.write_file"},
                                        {"arguments", {{"path", path}, {"content", content}}}}})}}}};
}

// A JSON value as TOML: scalars and arrays are the same text; objects
// become inline tables.
std::string toml_value(const Json& v) {
    if (v.is_object()) {
        std::string out = "{ ";
        bool first = true;
        for (const auto& [k, x] : v.items()) {
            out += (first ? "" : ", ") + k + " = " + toml_value(x);
            first = false;
        }
        return out + " }";
    }
    if (v.is_array()) {
        std::string out = "[";
        for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + toml_value(v[i]);
        return out + "]";
    }
    return v.dump();
}

// Rows of a query on the daemon's database, read-only, every column as text.
std::vector<std::map<std::string, std::string>> query(const fs::path& db_file, const std::string& sql,
                                                       const std::vector<std::string>& params = {}) {
    std::vector<std::map<std::string, std::string>> rows;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(db_file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(db);
        return rows;
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
        for (size_t i = 0; i < params.size(); ++i)
            sqlite3_bind_text(st, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
        while (sqlite3_step(st) == SQLITE_ROW) {
            std::map<std::string, std::string> row;
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                const auto* text = sqlite3_column_text(st, c);
                row[sqlite3_column_name(st, c)] = text ? reinterpret_cast<const char*>(text) : "";
            }
            rows.push_back(std::move(row));
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

// Polls until `done` holds (the test's outcome is asserted afterwards, not the time it took).
template <class F>
bool eventually(F done, int seconds = 60) {
    for (int i = 0; i < seconds * 20; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

// A COWORK_HOME with frontend.hooks enabled and its secrets stored, and a
// coworkd running on it (restartable: the home outlives the daemon).
class HooksDaemon {
public:
    struct Options {
        Json config = Json::object();
        std::map<std::string, std::string> secrets = {{"hooks.token", kToken}};
        Json script = Json::array();
        std::vector<Json> cron_jobs;  // cron.add params; "workspace" is filled in
    };

    explicit HooksDaemon(Options o) {
        fs::create_directories(workspace());
        std::ofstream(script_file()) << Json{{"model", "scripted-1"}, {"turns", o.script}}.dump();
        const auto enabled = cli({"plugins", "enable", "frontend.hooks"});
        EXPECT_EQ(enabled.exit_code, 0) << enabled.out << enabled.err;
        for (const auto& [key, value] : o.secrets) {
            const auto set = cli({"secrets", "set", key}, value);
            EXPECT_EQ(set.exit_code, 0) << set.out << set.err;
        }
        const auto ws = cli({"api", "call", "workspace.create", "--params", Json{{"path", workspace().string()}}.dump()});
        EXPECT_EQ(ws.exit_code, 0) << ws.out << ws.err;
        for (Json job : o.cron_jobs) {
            job["workspace"] = workspace().string();
            const auto added = cli({"api", "call", "cron.add", "--params", job.dump()});
            EXPECT_EQ(added.exit_code, 0) << added.out << added.err;
        }
        write_config(o.config);
        start();
    }
    ~HooksDaemon() {
        if (daemon_) daemon_->stop(SIGTERM);
    }

    void start() {
        daemon_ = std::make_unique<e2e::Daemon>(home_, std::vector<std::string>{"--plugin-dir", e2e::fixture_plugins().string()});
        std::ifstream in(listener_file());
        listener_ = Json::parse(in, nullptr, false);
        if (!listener_.is_object()) listener_ = Json::object();
    }
    void restart() {
        EXPECT_EQ(daemon_->stop(SIGTERM), 0);
        daemon_.reset();
        fs::remove(listener_file());
        start();
    }

    bool ok() const { return daemon_ && daemon_->ready() && port() != 0; }
    unsigned short port() const { return static_cast<unsigned short>(listener_.value("port", 0)); }
    const e2e::Daemon& daemon() const { return *daemon_; }
    fs::path workspace() const { return home_.path() / "ws"; }
    fs::path db() const { return home_.path() / "data/cowork.db"; }
    fs::path listener_file() const { return home_.path() / "data/plugin-data/frontend.hooks/listener.json"; }

    std::map<std::string, std::string> task(const std::string& id) const {
        const auto rows = query(db(), "SELECT * FROM tasks WHERE id = ?", {id});
        return rows.empty() ? std::map<std::string, std::string>{} : rows[0];
    }
    std::string status(const std::string& id) const {
        const auto t = task(id);
        return t.count("status") ? t.at("status") : "";
    }
    size_t task_count() const { return query(db(), "SELECT id FROM tasks").size(); }

private:
    e2e::Run cli(const std::vector<std::string>& args, const std::string& input = "") const {
        std::vector<std::string> argv{e2e::bin("cowork").string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return e2e::run(argv, home_, input);
    }
    fs::path script_file() const { return home_.path() / "script.json"; }

    void write_config(Json config) {
        const fs::path toml = home_.path() / "config/cowork.toml";
        fs::create_directories(toml.parent_path());
        std::string text;
        {
            std::ifstream in(toml);
            text.assign(std::istreambuf_iterator<char>(in), {});
        }
        // Tasks without a provider go to the scripted model.
        const std::string unset = "default_provider = \"\"";
        if (auto at = text.find(unset); at != std::string::npos)
            text.replace(at, unset.size(), "default_provider = \"llm.scripted\"");
        else
            text += "\n[agent]\ndefault_provider = \"llm.scripted\"\n";
        Json mappings = config.value("mappings", Json::array());
        config.erase("mappings");
        if (!config.contains("port")) config["port"] = 0;
        if (!config.contains("workspace")) config["workspace"] = workspace().string();
        text += "\n[plugins.\"llm.scripted\"]\nscript = " + Json(script_file().string()).dump() + "\n";
        // The control plane (on by default) must not contend for its fixed port with other tests.
        text += "\n[plugins.\"frontend.control-plane\"]\nport = 0\n";
        text += "\n[plugins.\"frontend.hooks\"]\n";
        for (const auto& [k, v] : config.items()) text += k + " = " + toml_value(v) + "\n";
        for (const auto& m : mappings) {
            text += "\n[[plugins.\"frontend.hooks\".mappings]]\n";
            for (const auto& [k, v] : m.items()) text += k + " = " + toml_value(v) + "\n";
        }
        std::ofstream(toml, std::ios::trunc) << text;
        fs::permissions(toml, fs::perms::owner_read | fs::perms::owner_write);
    }

    e2e::Home home_;
    std::unique_ptr<e2e::Daemon> daemon_;
    Json listener_;
};

std::string error_code(const HttpResponse& r) {
    const Json j = r.json();
    return j.is_object() && j.contains("error") ? j["error"].value("code", "") : "";
}

}  // namespace

TEST(HooksE2E, HealthNeedsNoTokenAndHookPathsNeedTheRightOne) {
    HooksDaemon d({});
    ASSERT_TRUE(d.ok());
    const HttpResponse health = hooks_test::request(d.port(), "GET", "/health");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.json(), Json({{"ok", true}}));

    const Json probe{{"taskId", "task_does_not_exist"}, {"message", "hello"}};
    const HttpResponse none = post_json(d.port(), "/hooks/task/message", probe);
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.json()["ok"], false);
    EXPECT_EQ(error_code(none), "UNAUTHORIZED");
    EXPECT_FALSE(none.json()["error"].value("message", "").empty());
    EXPECT_EQ(post_json(d.port(), "/hooks/task/message", probe, "wrong-token").status, 401);
    EXPECT_EQ(post_json(d.port(), "/hooks/task/message", probe, "", {{"X-CoWork-Token", kToken + "x"}}).status, 401);

    // The right token (either header) reaches the kernel, whose
    // INVALID_PARAMS for an unknown task becomes 400.
    const HttpResponse bearer = post_json(d.port(), "/hooks/task/message", probe, kToken);
    EXPECT_EQ(bearer.status, 400) << bearer.body;
    EXPECT_EQ(error_code(bearer), "INVALID_PARAMS");
    EXPECT_NE(bearer.body.find("task_does_not_exist"), std::string::npos) << bearer.body;
    const HttpResponse header = post_json(d.port(), "/hooks/task/message", probe, "", {{"X-CoWork-Token", kToken}});
    EXPECT_EQ(header.status, 400) << header.body;

    // No runOnWake jobs: 202 with no runs (a kernel without cron.wake: 501 UNKNOWN_METHOD).
    const HttpResponse wake = post_json(d.port(), "/hooks/wake", {{"text", "check mail"}}, kToken);
    EXPECT_TRUE(wake.status == 202 || (wake.status == 501 && error_code(wake) == "UNKNOWN_METHOD")) << wake.body;
    EXPECT_EQ(post_json(d.port(), "/hooks/wake", {{"text", "x"}, {"mode", "later"}}, kToken).status, 400);

    EXPECT_FALSE(d.listener_file().empty());
    std::ifstream listener(d.listener_file());
    const std::string listener_text(std::istreambuf_iterator<char>(listener), {});
    EXPECT_EQ(listener_text.find(kToken), std::string::npos) << "listener.json never holds the token";
}

TEST(HooksE2E, BadRequestsGetPreciseStatuses) {
    HooksDaemon d({});
    ASSERT_TRUE(d.ok());
    const HttpResponse get = hooks_test::request(d.port(), "GET", "/hooks/agent", {{"Authorization", "Bearer " + kToken}});
    EXPECT_EQ(get.status, 405);
    EXPECT_EQ(get.headers.at("allow"), "POST");
    EXPECT_EQ(hooks_test::request(d.port(), "POST", "/health").headers["allow"], "GET");
    const HttpResponse missing = post_json(d.port(), "/hooks/nope", Json::object(), kToken);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(error_code(missing), "NOT_FOUND");

    const HttpResponse form = hooks_test::request(
        d.port(), "POST", "/hooks/agent",
        {{"Authorization", "Bearer " + kToken}, {"Content-Type", "application/x-www-form-urlencoded"}}, "message=hi");
    EXPECT_EQ(form.status, 415);
    EXPECT_EQ(error_code(form), "UNSUPPORTED_MEDIA_TYPE");

    const std::map<std::string, std::string> json_headers{{"Authorization", "Bearer " + kToken},
                                                          {"Content-Type", "application/json; charset=utf-8"}};
    const HttpResponse bad = hooks_test::request(d.port(), "POST", "/hooks/agent", json_headers, R"({"message": "hi",)");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(error_code(bad), "INVALID_JSON");
    EXPECT_NE(bad.body.find("parse error"), std::string::npos) << "the message names the problem: " << bad.body;
    EXPECT_EQ(hooks_test::request(d.port(), "POST", "/hooks/agent", json_headers, "[1,2]").status, 400);
    const HttpResponse no_message = post_json(d.port(), "/hooks/agent", {{"name", "x"}}, kToken);
    EXPECT_EQ(no_message.status, 400);
    EXPECT_NE(no_message.body.find("message"), std::string::npos);
    EXPECT_EQ(post_json(d.port(), "/hooks/agent", {{"message", 5}}, kToken).status, 400);
    EXPECT_EQ(post_json(d.port(), "/hooks/agent", {{"message", "x"}, {"timeoutSeconds", -1}}, kToken).status, 400);
    EXPECT_EQ(post_json(d.port(), "/hooks/approval/respond", {{"approvalId", "a"}}, kToken).status, 400)
        << "approved is required";
    EXPECT_EQ(post_json(d.port(), "/hooks/cron/trigger", {{"jobId", "j"}}).status, 401) << "no cron secret";
    EXPECT_EQ(post_json(d.port(), "/hooks/cron/trigger", {{"secret", "s"}}).status, 400) << "no job named";
    EXPECT_EQ(d.task_count(), 0u) << "no refused request created a task";
}

TEST(HooksE2E, OversizeBodiesAre413AndTheServerKeepsServing) {
    HooksDaemon d({});
    ASSERT_TRUE(d.ok());
    const std::string big = Json{{"message", std::string(300 * 1024, 'x')}}.dump();
    const std::map<std::string, std::string> headers{{"Authorization", "Bearer " + kToken},
                                                     {"Content-Type", "application/json"}};
    const HttpResponse declared = hooks_test::request(d.port(), "POST", "/hooks/agent", headers, big);
    EXPECT_EQ(declared.status, 413);
    EXPECT_EQ(error_code(declared), "PAYLOAD_TOO_LARGE");
    EXPECT_EQ(hooks_test::request(d.port(), "GET", "/health").status, 200);

    // Chunked: no length up front, so the cap stops the read itself.
    Connection c(d.port());
    std::string chunked = "POST /hooks/agent HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kToken +
                          "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    for (size_t at = 0; at < big.size(); at += 65536) {
        const std::string part = big.substr(at, 65536);
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", part.size());
        chunked += size + part + "\r\n";
    }
    chunked += "0\r\n\r\n";
    c.send(chunked);
    EXPECT_EQ(c.read_response().status, 413);

    // Expect: 100-continue: the server says "go on" before the body is sent.
    const std::string body = Json{{"taskId", "task_nope"}, {"message", "hi"}}.dump();
    Connection e(d.port());
    e.send("POST /hooks/task/message HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kToken +
           "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(e.read_response(false).status, 100);
    e.send(body);
    EXPECT_EQ(e.read_response().status, 400) << "the request went through to the kernel (no such task)";
    EXPECT_EQ(hooks_test::request(d.port(), "GET", "/health").status, 200);
    EXPECT_EQ(d.task_count(), 0u);
}

TEST(HooksE2E, AgentHookCreatesATaskThatRunsToCompletion) {
    HooksDaemon d({.script = Json::array({text_turn("Summarised the alert.")})});
    ASSERT_TRUE(d.ok());
    const HttpResponse r = post_json(
        d.port(), "/hooks/agent",
        {{"message", "summarise the alert"}, {"name", "alert digest"}, {"workspaceId", d.workspace().string()},
         {"timeoutSeconds", 120}},
        kToken);
    ASSERT_EQ(r.status, 202) << r.body;
    const std::string id = r.json().value("taskId", "");
    ASSERT_FALSE(id.empty()) << r.body;
    EXPECT_FALSE(r.json().contains("deduplicated"));
    ASSERT_TRUE(eventually([&] { return d.status(id) == "completed" || d.status(id) == "failed"; })) << d.status(id);
    const auto task = d.task(id);
    EXPECT_EQ(task.at("status"), "completed") << task.at("error");
    EXPECT_EQ(task.at("title"), "alert digest");
    EXPECT_EQ(task.at("prompt"), "summarise the alert");
    EXPECT_NE(task.at("result").find("Summarised the alert."), std::string::npos) << task.at("result");
    // The kernel records who asked: the plugin, the hook path and the peer.
    const Json source = Json::parse(task.at("source"));
    EXPECT_EQ(source.value("transport", ""), "hooks");
    EXPECT_EQ(source.value("caller", ""), "frontend.hooks/hook:/hooks/agent@127.0.0.1") << source.dump();
    EXPECT_EQ(Json::parse(task.at("budget")).value("maxWallTimeS", 0), 120) << task.at("budget");
}

TEST(HooksE2E, SessionKeyMakesTenConcurrentDeliveriesOneTaskAcrossRestarts) {
    HooksDaemon d({.script = Json::array({text_turn("once"), text_turn("twice?")})});
    ASSERT_TRUE(d.ok());
    const Json body{{"message", "handle delivery 77"}, {"sessionKey", "delivery-77"}};
    std::vector<HttpResponse> replies(10);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < replies.size(); ++i)
        threads.emplace_back([&, i] { replies[i] = post_json(d.port(), "/hooks/agent", body, kToken); });
    for (auto& t : threads) t.join();
    std::set<std::string> ids;
    int fresh = 0;
    for (const auto& r : replies) {
        EXPECT_EQ(r.status, 202) << r.body;
        ids.insert(r.json().value("taskId", ""));
        if (!r.json().value("deduplicated", false)) ++fresh;
    }
    ASSERT_EQ(ids.size(), 1u);
    EXPECT_EQ(fresh, 1) << "exactly one delivery created the task";
    EXPECT_EQ(d.task_count(), 1u);
    const std::string id = *ids.begin();

    d.restart();
    ASSERT_TRUE(d.ok());
    const HttpResponse again = post_json(d.port(), "/hooks/agent", body, kToken);
    EXPECT_EQ(again.status, 202);
    EXPECT_EQ(again.json().value("taskId", ""), id);
    EXPECT_EQ(again.json().value("deduplicated", false), true);
    const HttpResponse other = post_json(d.port(), "/hooks/agent", {{"message", "x"}, {"sessionKey", "delivery-78"}}, kToken);
    EXPECT_EQ(other.status, 202);
    EXPECT_NE(other.json().value("taskId", ""), id);
    EXPECT_EQ(d.task_count(), 2u);
}

TEST(HooksE2E, TaskMessageAndApprovalRespondDriveARealTask) {
    HooksDaemon d({.script = Json::array({write_turn("out.txt", "from a hook\n"), text_turn("Wrote out.txt.")})});
    ASSERT_TRUE(d.ok());
    const HttpResponse created = post_json(d.port(), "/hooks/agent", {{"message", "write out.txt"}}, kToken);
    ASSERT_EQ(created.status, 202) << created.body;
    const std::string task = created.json().value("taskId", "");

    // The write needs approval: the task waits, still running.
    std::string approval;
    ASSERT_TRUE(eventually([&] {
        const auto rows = query(d.db(), "SELECT id FROM approvals WHERE task_id = ? AND status = 'pending'", {task});
        if (!rows.empty()) approval = rows[0].at("id");
        return !approval.empty();
    })) << "no approval was requested; task status " << d.status(task);

    const HttpResponse msg = post_json(d.port(), "/hooks/task/message", {{"taskId", task}, {"message", "also be brief"}}, kToken);
    EXPECT_EQ(msg.status, 202) << msg.body;
    EXPECT_EQ(msg.json().value("taskId", ""), task);

    const HttpResponse bad = post_json(d.port(), "/hooks/approval/respond", {{"approvalId", "appr_nope"}, {"approved", true}}, kToken);
    EXPECT_GE(bad.status, 400) << bad.body;
    const HttpResponse ok = post_json(d.port(), "/hooks/approval/respond",
                                      {{"approvalId", approval}, {"approved", true}, {"reason", "fine"}}, kToken);
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.json().value("status", ""), "approved");
    EXPECT_EQ(ok.json().value("taskId", ""), task);
    const auto decided = query(d.db(), "SELECT decided_by, status FROM approvals WHERE id = ?", {approval});
    ASSERT_EQ(decided.size(), 1u);
    EXPECT_EQ(decided[0].at("decided_by"), "frontend.hooks/hook:/hooks/approval/respond@127.0.0.1");

    ASSERT_TRUE(eventually([&] { return d.status(task) == "completed" || d.status(task) == "failed"; }));
    EXPECT_EQ(d.status(task), "completed") << d.task(task).at("error");
    std::ifstream out(d.workspace() / "out.txt");
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(out), {}), "from a hook\n");
    // The follow-up reached the task's journal.
    const auto events = query(d.db(), "SELECT payload FROM task_events WHERE task_id = ?", {task});
    bool seen = false;
    for (const auto& e : events) seen = seen || e.at("payload").find("also be brief") != std::string::npos;
    EXPECT_TRUE(seen) << "task.sendMessage text not journalled";

    const HttpResponse late = post_json(d.port(), "/hooks/task/message", {{"taskId", task}, {"message", "more"}}, kToken);
    EXPECT_EQ(late.status, 400) << "a finished task takes no messages: " << late.body;
}

TEST(HooksE2E, MappedEndpointsRenderTemplatesAndCheckSignatures) {
    const std::string gh_secret = "gh-webhook-secret";
    const std::string svix_secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    HooksDaemon::Options o;
    o.secrets = {{"hooks.token", kToken}, {"hooks.github", gh_secret}, {"hooks.svix", svix_secret}, {"hooks.tok", "map-token"}};
    o.config = {{"max_failed_auths", 1000},
                {"mappings",
                 {{{"path", "issues"},
                   {"action", "agent"},
                   {"messageTemplate", "Triage: {{issue.title}} by {{user.login}} {{missing.x}}"},
                   {"nameTemplate", "issue #{{issue.number}}"},
                   {"sessionKeyTemplate", "issue-{{issue.number}}"}},
                  {{"path", "github"},
                   {"action", "agent"},
                   {"messageTemplate", "push to {{repository.full_name}}"},
                   {"hmac", {{"secret", "hooks.github"}, {"scheme", "github"}}}},
                  {{"path", "svix"},
                   {"action", "agent"},
                   {"messageTemplate", "event {{type}}"},
                   {"hmac", {{"secret", "hooks.svix"}, {"scheme", "svix"}}}},
                  {{"path", "tok"},
                   {"action", "task_message"},
                   {"taskIdTemplate", "{{task}}"},
                   {"messageTemplate", "{{text}}"},
                   {"token", "hooks.tok"}}}}};
    o.script = Json::array({text_turn("a"), text_turn("b"), text_turn("c"), text_turn("d")});
    HooksDaemon d(o);
    ASSERT_TRUE(d.ok());

    // Template: paths into the body; a "{{" in a value is defanged.
    const Json issue{{"issue", {{"title", "Crash {{user.login}}"}, {"number", 12}}}, {"user", {{"login", "alice"}}}};
    const HttpResponse t = post_json(d.port(), "/hooks/issues", issue, kToken);
    ASSERT_EQ(t.status, 202) << t.body;
    const auto task = d.task(t.json().value("taskId", ""));
    EXPECT_EQ(task.at("prompt"), "Triage: Crash { {user.login}} by alice ");
    EXPECT_EQ(task.at("title"), "issue #12");
    EXPECT_EQ(post_json(d.port(), "/hooks/issues", issue, kToken).json().value("deduplicated", false), true);
    EXPECT_EQ(post_json(d.port(), "/hooks/issues", issue).status, 401) << "no HMAC or token of its own: the hooks token";

    // GitHub HMAC: no bearer token, the signature is the authentication.
    const std::string push = R"({"repository":{"full_name":"acme/app"}})";
    const std::string sig = "sha256=" + cowork::hooks::to_hex(cowork::hooks::hmac_sha256(gh_secret, push));
    const std::map<std::string, std::string> gh{{"Content-Type", "application/json"}, {"X-Hub-Signature-256", sig}};
    const HttpResponse good = hooks_test::request(d.port(), "POST", "/hooks/github", gh, push);
    ASSERT_EQ(good.status, 202) << good.body;
    EXPECT_EQ(d.task(good.json().value("taskId", "")).at("prompt"), "push to acme/app");
    const HttpResponse tampered = hooks_test::request(d.port(), "POST", "/hooks/github", gh, R"({"repository":{"full_name":"evil/app"}})");
    EXPECT_EQ(tampered.status, 401);
    EXPECT_NE(tampered.body.find("signature"), std::string::npos) << tampered.body;
    EXPECT_EQ(hooks_test::request(d.port(), "POST", "/hooks/github", {{"Content-Type", "application/json"}}, push).status, 401);

    // Svix: signed id.timestamp.body; a stale timestamp is refused.
    const std::string event = R"({"type":"invoice.paid"})";
    auto svix_headers = [&](long long ts) {
        const std::string raw_key = cowork::hooks::from_base64(svix_secret.substr(6)).value_or("");  // after whsec_
        const std::string signed_content = "msg_1." + std::to_string(ts) + "." + event;
        const std::string sig64 = cowork::hooks::to_base64(cowork::hooks::hmac_sha256(raw_key, signed_content));
        return std::map<std::string, std::string>{{"Content-Type", "application/json"},
                                                  {"svix-id", "msg_1"},
                                                  {"svix-timestamp", std::to_string(ts)},
                                                  {"svix-signature", "v1," + sig64}};
    };
    const long long now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const HttpResponse fresh = hooks_test::request(d.port(), "POST", "/hooks/svix", svix_headers(now), event);
    EXPECT_EQ(fresh.status, 202) << fresh.body;
    const HttpResponse stale = hooks_test::request(d.port(), "POST", "/hooks/svix", svix_headers(now - 3600), event);
    EXPECT_EQ(stale.status, 401);
    EXPECT_NE(stale.body.find("window"), std::string::npos) << stale.body;

    // A mapping token overrides the hooks token for its path only.
    const Json msg{{"task", "task_none"}, {"text", "hello"}};
    EXPECT_EQ(post_json(d.port(), "/hooks/tok", msg, kToken).status, 401);
    const HttpResponse mapped = post_json(d.port(), "/hooks/tok", msg, "map-token");
    EXPECT_EQ(mapped.status, 400) << "reached task.sendMessage, which knows no such task: " << mapped.body;
    EXPECT_EQ(post_json(d.port(), "/hooks/task/message", {{"taskId", "t"}, {"message", "m"}}, "map-token").status, 401);
}

TEST(HooksE2E, StalledClientsDoNotBlockOthersAndAreCutOff) {
    HooksDaemon d({.config = {{"request_timeout_ms", 1500}}});
    ASSERT_TRUE(d.ok());
    // Half a header, and a full header whose body never comes.
    std::vector<std::unique_ptr<Connection>> stalled;
    for (int i = 0; i < 8; ++i) {
        stalled.push_back(std::make_unique<Connection>(d.port()));
        stalled.back()->send(i % 2 ? "POST /hooks/agent HTTP/1.1\r\nHost: x\r\nAuthor"
                                   : "POST /hooks/agent HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kToken +
                                         "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"mess");
    }
    const HttpResponse health = hooks_test::request(d.port(), "GET", "/health");
    EXPECT_EQ(health.status, 200);
    const HttpResponse work = post_json(d.port(), "/hooks/task/message", {{"taskId", "t"}, {"message", "m"}}, kToken);
    EXPECT_EQ(work.status, 400) << work.body;
    for (auto& c : stalled) EXPECT_TRUE(c->closed_by_peer(20000)) << "a stalled client is disconnected";
    EXPECT_EQ(hooks_test::request(d.port(), "GET", "/health").status, 200);
}

TEST(HooksE2E, RepeatedFailuresFromOneAddressAreRateLimited) {
    HooksDaemon d({.config = {{"max_failed_auths", 3}, {"ban_s", 600}}});
    ASSERT_TRUE(d.ok());
    const Json probe{{"taskId", "t"}, {"message", "m"}};
    for (int i = 0; i < 3; ++i) EXPECT_EQ(post_json(d.port(), "/hooks/task/message", probe, "guess-" + std::to_string(i)).status, 401);
    const HttpResponse banned = post_json(d.port(), "/hooks/task/message", probe, kToken);
    EXPECT_EQ(banned.status, 429) << "even the right token waits out the ban";
    EXPECT_EQ(error_code(banned), "RATE_LIMITED");
    EXPECT_EQ(banned.headers.count("retry-after") ? banned.headers.at("retry-after") : "", "600");
    EXPECT_EQ(hooks_test::request(d.port(), "GET", "/health").status, 200) << "health stays open";
}

TEST(HooksE2E, WithoutATokenThePluginRefusesToStart) {
    int failed_with_token = -1;
    {
        HooksDaemon baseline({});
        ASSERT_TRUE(baseline.ok());
        failed_with_token = baseline.daemon().report()["plugins"].value("failed", 0);
    }
    HooksDaemon d({.secrets = {}});
    ASSERT_TRUE(d.daemon().ready()) << "the rest of CoWork still starts";
    EXPECT_FALSE(fs::exists(d.listener_file())) << "no listener without a token";
    EXPECT_EQ(d.daemon().report()["plugins"].value("failed", 0), failed_with_token + 1)
        << "exactly frontend.hooks failed: " << d.daemon().report().dump();
}

TEST(HooksE2E, CronTriggerAndWakeStartTheKernelsJobs) {
    const std::string cron_secret = "cron-trigger-secret-0123456789";
    const Json daily{{"kind", "cron"}, {"expr", "0 3 * * *"}, {"tz", "UTC"}};
    HooksDaemon::Options o;
    o.secrets = {{"hooks.token", kToken}, {"cron.trigger_secret", cron_secret}};
    o.config = {{"max_failed_auths", 100}};
    o.script = Json::array({text_turn("report done"), text_turn("woken"), text_turn("spare")});
    o.cron_jobs = {{{"name", "nightly"}, {"schedule", daily}, {"prompt", "write the nightly report"}},
                   {{"name", "on-wake"}, {"schedule", daily}, {"prompt", "woken: {{wake_text}}"}, {"runOnWake", true}}};
    HooksDaemon d(o);
    ASSERT_TRUE(d.ok());
    auto tasks_with_prompt = [&](const std::string& prompt) {
        return query(d.db(), "SELECT id FROM tasks WHERE prompt = ?", {prompt}).size();
    };

    const HttpResponse wrong = post_json(d.port(), "/hooks/cron/trigger", {{"jobName", "nightly"}}, "",
                                         {{"X-CoWork-Cron-Secret", "not-it"}});
    EXPECT_EQ(wrong.status, 403) << wrong.body;
    EXPECT_EQ(error_code(wrong), "UNAUTHORIZED");
    EXPECT_EQ(post_json(d.port(), "/hooks/cron/trigger", {{"jobName", "nightly"}}, kToken).status, 401)
        << "the hooks token is not the cron secret";

    const HttpResponse fired = post_json(d.port(), "/hooks/cron/trigger", {{"jobName", "nightly"}}, "",
                                         {{"X-CoWork-Cron-Secret", cron_secret}});
    ASSERT_EQ(fired.status, 202) << fired.body;
    EXPECT_TRUE(eventually([&] { return tasks_with_prompt("write the nightly report") == 1; }))
        << "the triggered job started its task";
    const HttpResponse unknown = post_json(d.port(), "/hooks/cron/trigger", {{"jobName", "nope"}, {"secret", cron_secret}});
    EXPECT_GE(unknown.status, 400) << unknown.body;
    EXPECT_NE(unknown.status, 403);

    const HttpResponse woke = post_json(d.port(), "/hooks/wake", {{"text", "mail from Ann"}}, kToken);
    ASSERT_EQ(woke.status, 202) << woke.body;
    EXPECT_EQ(woke.json()["result"].value("mode", ""), "now");
    EXPECT_EQ(woke.json()["result"].value("runs", Json::array()).size(), 1u) << woke.body;
    EXPECT_TRUE(eventually([&] { return tasks_with_prompt("woken: mail from Ann") == 1; }))
        << "the runOnWake job got the wake text";
}
