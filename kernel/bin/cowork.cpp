// cowork — the CoWork command line.
//
// Every command is an API method call through a cli::Connection: a running
// coworkd's control plane when there is one for this home (the CLI pairs as a
// device on first use), otherwise the kernel booted in this process (plugins
// initialized, or started for commands that need them; no listeners). One
// table describes every command; rows that map 1:1 onto an API method are
// generic (words → method, positionals and --params → params), so methods the
// kernel gains work as soon as it has them. `config check` and `completion`
// need no kernel at all.
#include "app/kernel.hpp"
#include "bin/cli/args.hpp"
#include "bin/cli/completion.hpp"
#include "bin/cli/local_connection.hpp"
#include "bin/cli/mcp_serve.hpp"
#include "bin/cli/open_connection.hpp"
#include "bin/cli/render.hpp"
#include "bin/cli/task_follow.hpp"
#include "config/load.hpp"
#include "core/paths.hpp"

#include <cowork/abi.h>

#include <algorithm>
#include <csignal>

#include <filesystem>
#include <functional>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <unistd.h>

using namespace cowork::kernel;

namespace {

const std::vector<cli::OptionSpec> kOptions = {
    {"help", false, false, "show help for the command and exit"},
    {"json", false, false, "machine-readable output (one JSON document)"},
    {"local", false, false, "boot the kernel in this process even when coworkd is running"},
    {"remote", false, false, "require a running coworkd (its control plane); fail when there is none"},
    {"config", true, false, "config file (default $XDG_CONFIG_HOME/cowork/cowork.toml)", "FILE"},
    {"plugin-dir", true, true, "extra plugin root (implies --local)", "DIR"},
    {"params", true, false, "JSON params for `api call` and API commands (merged under positionals)", "JSON"},
    {"args", true, false, "JSON arguments for `tools call`", "JSON"},
    {"workspace", true, false, "workspace folder for `tools call` and `run` (default: the current one)", "DIR"},
    {"provider", true, false, "LLM provider plugin for `run`, e.g. llm.anthropic", "ID"},
    {"model", true, false, "model for `run`", "MODEL"},
    {"approve-all", false, false, "`run`: approve every approval when there is no terminal to ask"},
    {"approve-stdin", false, false, "`run`: read a y/N answer per approval from stdin even when it is not a terminal"},
    {"follow", false, false, "`run --json`/`task resume --json`: journal rows as NDJSON while the task runs"},
    {"skill", true, false, "`run`: start from a skill's prompt (see `cowork skills`)", "ID"},
    {"param", true, true, "`run --skill`: a skill parameter", "NAME=VALUE"},
    {"approve", false, false, "approve a `tools call` that policy would ask about (audited)"},
    {"verbose", false, false, "log kernel activity to stderr and say which kernel answers"},
};

using Renderer = std::function<void(std::ostream&, const Json&)>;
struct Context;

struct Command {
    std::string path;     // "plugins list"
    std::string usage;    // extra positional usage; "[X]" is optional
    std::string summary;
    std::function<int(Context&)> run;  // a command with its own logic; empty for API rows
    // API rows: the method, the param name of each positional after the
    // path ("path" values become absolute paths), and how results look.
    std::string method;
    std::vector<std::string> params;
    Renderer render = cli::render_generic;
    // The in-process kernel starts plugins only for commands that use them.
    app::PluginStage stage = app::PluginStage::Initialized;
    // Served by coworkd's control plane itself (devices.*): never in-process.
    bool daemon_only = false;
};

struct Context {
    const cli::Args& args;
    bool json = false;
    const Command* command = nullptr;
    std::unique_ptr<cli::Connection> conn;
    std::optional<Error> open_error;

    Result<cli::ConnectMode> mode() const {
        const bool local = args.flag("local"), remote = args.flag("remote"), dirs = !args.all("plugin-dir").empty();
        if (local && remote) return make_error("usage", "--local and --remote contradict each other; pick one");
        if (remote && dirs)
            return make_error("usage", "--plugin-dir shapes an in-process kernel; with --remote, start coworkd with "
                                       "--plugin-dir instead");
        if (command && command->daemon_only) {
            if (local || dirs)
                return make_error("usage", "`cowork " + command->path + "` is served by coworkd's control plane; "
                                           "drop --local/--plugin-dir");
            return cli::ConnectMode::remote;
        }
        if (local || dirs) return cli::ConnectMode::local;
        return remote ? cli::ConnectMode::remote : cli::ConnectMode::automatic;
    }

    // The connection, opened on first use: a running coworkd or the kernel here.
    Result<cli::Connection*> connection(app::PluginStage stage) {
        if (open_error) return *open_error;
        if (conn) return conn.get();
        auto m = mode();
        if (!m) return *(open_error = m.error());
        cli::ConnectOptions o;
        o.mode = *m;
        if (auto c = args.value("config")) o.kernel.config_file = *c;
        for (const auto& d : args.all("plugin-dir")) o.kernel.plugin_dirs.emplace_back(d);
        o.kernel.console_log = args.flag("verbose");
        o.kernel.plugin_stage = stage;
        o.kernel.role = "cli";
        auto opened = cli::open_connection(o);
        if (!opened) return *(open_error = opened.error());
        conn = std::move(opened->connection);
        if (args.flag("verbose"))
            std::cerr << "cowork: using " << conn->describe() << (opened->note.empty() ? "" : " (" + opened->note + ")")
                      << "\n";
        return conn.get();
    }

    app::PluginStage stage() const { return command ? command->stage : app::PluginStage::Initialized; }

    Result<Json> call(const std::string& method, const Json& params) { return call(method, params, stage()); }
    Result<Json> call(const std::string& method, const Json& params, app::PluginStage stage) {
        auto c = connection(stage);
        if (!c) return c.error();
        auto r = (*c)->call(method, params);
        if (!r && r.error().code == api::kUnknownMethod)
            return make_error(r.error().code, "this kernel (" + (*c)->describe() + ") has no method " + method +
                                                  "; upgrade CoWork (coworkd and cowork) to a version that has it. "
                                                  "`cowork api methods` lists what it offers",
                              r.error().details);
        return r;
    }

    // For commands that need the kernel object itself, not just its API:
    // always the in-process kernel.
    Result<app::Kernel*> boot(app::PluginStage stage = app::PluginStage::Initialized) {
        if (!conn) {
            app::KernelOptions o;
            if (auto c = args.value("config")) o.config_file = *c;
            for (const auto& d : args.all("plugin-dir")) o.plugin_dirs.emplace_back(d);
            o.console_log = args.flag("verbose");
            o.plugin_stage = stage;
            o.role = "cli";
            conn = std::make_unique<cli::LocalConnection>(o);
        }
        auto* local = dynamic_cast<cli::LocalConnection*>(conn.get());
        if (!local) return make_error("usage", "this command needs the kernel in this process; add --local");
        return local->kernel();
    }
};

int finish(Context& ctx, const Result<Json>& r, const Renderer& render) {
    if (!r) {
        cli::render_error(std::cerr, r.error(), false);
        if (ctx.json) cli::render_error(std::cout, r.error(), true);
        return 1;
    }
    if (ctx.json)
        std::cout << r.value().dump(2) << "\n";
    else
        render(std::cout, r.value());
    return 0;
}

Result<Json> parse_json_option(const cli::Args& args, const std::string& name) {
    const auto text = args.value(name).value_or("{}");
    auto j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return make_error("usage", "--" + name + " must be a JSON object, e.g. --" + name + " '{\"key\":\"value\"}'");
    return j;
}

std::string word(const cli::Args& a, size_t i) { return i < a.words.size() ? a.words[i] : ""; }

size_t word_count(const std::string& text) {
    std::istringstream in(text);
    return std::distance(std::istream_iterator<std::string>(in), std::istream_iterator<std::string>());
}

// An API row: --params, then each positional under its param name.
int run_api_row(Context& ctx) {
    const Command& c = *ctx.command;
    auto params = parse_json_option(ctx.args, "params");
    if (!params) return finish(ctx, params.error(), cli::render_generic);
    const size_t first = word_count(c.path);
    for (size_t i = 0; i < c.params.size() && first + i < ctx.args.words.size(); ++i) {
        std::string value = ctx.args.words[first + i];
        if (c.params[i] == "path") {
            std::error_code ec;
            value = std::filesystem::absolute(value, ec).lexically_normal().string();
        }
        (*params)[c.params[i]] = value;
    }
    return finish(ctx, ctx.call(c.method, *params), c.render);
}

// ---------------------------------------------------------------- tasks --
// `run` and `task resume` follow the task to its end wherever it runs
// (Ctrl-C cancels it there); in-process, the task lives as long as the command.

cli::FollowOptions follow_options(const Context& ctx) {
    cli::FollowOptions o;
    o.json = ctx.json;
    o.ndjson = ctx.json && ctx.args.flag("follow");
    o.interactive = ::isatty(STDIN_FILENO) == 1;
    o.approve_all = ctx.args.flag("approve-all");
    o.approve_stdin = ctx.args.flag("approve-stdin");
    return o;
}

// The workspace id for a folder, registering the folder on first use.
Result<std::string> workspace_for(Context& ctx, const std::string& dir) {
    std::error_code ec;
    const auto canonical = std::filesystem::canonical(dir, ec);
    if (ec) return make_error("usage", "--workspace " + dir + " is not an existing directory");
    auto list = ctx.call("workspace.list", {});
    if (!list) return list.error();
    for (const auto& w : *list)
        if (w.value("path", "") == canonical.string()) return w.value("id", "");
    auto created = ctx.call("workspace.create", {{"path", canonical.string()}});
    if (!created) return created.error();
    if (!ctx.json) std::cerr << "registered workspace " << canonical.string() << " (read, write; writes ask first)\n";
    return created->value("id", "");
}

int follow(Context& ctx, const std::string& task_id) {
    auto c = ctx.connection(ctx.stage());
    if (!c) return finish(ctx, c.error(), cli::render_generic);
    return cli::follow_task(**c, task_id, follow_options(ctx), std::cout, std::cerr);
}

// --param name=value, repeatable: the skill's parameters.
Result<Json> skill_params(const cli::Args& args) {
    Json params = Json::object();
    for (const auto& kv : args.all("param")) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) return make_error("usage", "--param expects NAME=VALUE, got '" + kv + "'");
        params[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return params;
}

int run_task(Context& ctx) {
    cli::catch_interrupts();
    std::string prompt;
    for (size_t i = 1; i < ctx.args.words.size(); ++i) prompt += (i > 1 ? " " : "") + ctx.args.words[i];
    const auto skill = ctx.args.value("skill");
    if (prompt.empty() && !skill) {
        std::cerr << "cowork: usage: cowork run PROMPT (or --skill ID [--param NAME=VALUE]…)\n";
        return 2;
    }
    auto skill_args = skill_params(ctx.args);
    if (!skill_args) {
        std::cerr << "cowork: " << skill_args.error().message << "\n";
        return 2;
    }
    std::error_code ec;
    auto ws = workspace_for(ctx, ctx.args.value("workspace").value_or(std::filesystem::current_path(ec).string()));
    if (!ws) return finish(ctx, ws.error(), cli::render_generic);
    Json params{{"prompt", prompt}, {"workspace", *ws}};
    if (auto p = ctx.args.value("provider")) params["provider"] = *p;
    if (auto m = ctx.args.value("model")) params["model"] = *m;
    if (skill) params["skill"] = *skill;
    if (!skill_args->empty()) params["params"] = *skill_args;
    auto task = ctx.call("task.create", params);
    if (!task) return finish(ctx, task.error(), cli::render_generic);
    if (!ctx.json) std::cerr << "task " << task->value("id", "") << ": " << task->value("title", "") << "\n";
    return follow(ctx, task->value("id", ""));
}

int resume_task(Context& ctx) {
    cli::catch_interrupts();
    auto task = ctx.call("task.resume", {{"id", word(ctx.args, 2)}});
    if (!task) return finish(ctx, task.error(), cli::render_generic);
    return follow(ctx, task->value("id", ""));
}

int run_config_check(Context& ctx) {
    const auto path = ctx.args.value("config").value_or(resolve_paths().config_file().string());
    const auto problems = config::check(path);
    if (ctx.json) {
        Json list = Json::array();
        for (const auto& p : problems) list.push_back(p.to_json());
        std::cout << Json{{"file", path}, {"problems", list}}.dump(2) << "\n";
    } else if (problems.empty()) {
        std::cout << path << ": ok\n";
    } else {
        for (const auto& p : problems) std::cout << p.to_string() << "\n";
    }
    const bool has_error = config::has_errors(problems);
    return has_error ? 1 : 0;
}

int run_completion(Context& ctx);

constexpr auto kRunning = app::PluginStage::Running;

// A row that is one API method call.
Command api_row(std::string path, std::string usage, std::string summary, std::string method,
                std::vector<std::string> params = {}, Renderer render = cli::render_generic,
                app::PluginStage stage = app::PluginStage::Initialized) {
    Command c{std::move(path), std::move(usage), std::move(summary), {}, std::move(method), std::move(params)};
    c.render = std::move(render);
    c.stage = stage;
    return c;
}

Command daemon_row(std::string path, std::string usage, std::string summary, std::string method,
                   std::vector<std::string> params = {}) {
    Command c = api_row(std::move(path), std::move(usage), std::move(summary), std::move(method), std::move(params));
    c.daemon_only = true;
    return c;
}

Command running(Command c) {
    c.stage = kRunning;
    return c;
}

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"version", "", "print the version",
         [](Context& ctx) {
             if (ctx.json) std::cout << Json{{"version", app::kernel_version()}, {"abi", {COWORK_ABI_MAJOR, COWORK_ABI_MINOR}}}.dump() << "\n";
             else std::cout << "cowork " << app::kernel_version() << " (plugin ABI " << COWORK_ABI_MAJOR << "." << COWORK_ABI_MINOR << ")\n";
             return 0;
         }},
        api_row("status", "", "kernel status: plugins, storage, bus", "status"),
        {"doctor", "", "check the installation and say what to fix",
         [](Context& ctx) {
             auto r = ctx.call("doctor", {});
             int rc = finish(ctx, r, cli::render_doctor);
             if (rc == 0 && r.value().value("failed", 0) > 0) rc = 1;
             return rc;
         }},
        api_row("plugins list", "", "every plugin with its state and failure reason", "plugin.list", {}, cli::render_plugins),
        api_row("plugins enable", "ID", "enable a plugin (takes effect at the next start)", "plugin.enable", {"id"}),
        api_row("plugins disable", "ID", "disable a plugin (takes effect at the next start)", "plugin.disable", {"id"}),
        api_row("plugins trust", "ID", "record the SHA-256 of a plugin's library as trusted", "plugin.trust", {"id"}),
        {"config check", "", "report every problem in cowork.toml with file:line:column", run_config_check},
        api_row("config show", "", "the effective configuration, secrets masked", "config.get"),
        {"secrets set", "KEY", "store a secret read from stdin, encrypted",
         [](Context& ctx) {
             std::string value((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
             while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
             return finish(ctx, ctx.call("secret.set", {{"key", word(ctx.args, 2)}, {"value", value}}), cli::render_generic);
         }},
        api_row("secrets list", "", "names of stored secrets (never values)", "secret.list"),
        api_row("secrets remove", "KEY", "delete a stored secret", "secret.remove", {"key"}),
        api_row("tools list", "", "tools offered by running tool plugins", "tool.list", {}, cli::render_tools, kRunning),
        running({"tools call", "TOOL", "call a tool directly (policy applies): --args JSON [--workspace DIR]",
         [](Context& ctx) {
             auto a = parse_json_option(ctx.args, "args");
             if (!a) return finish(ctx, a.error(), cli::render_generic);
             Json params{{"tool", word(ctx.args, 2)}, {"arguments", *a}};
             if (auto w = ctx.args.value("workspace")) params["workspace"] = *w;
             if (ctx.args.flag("approve")) params["approve"] = true;
             return finish(ctx, ctx.call("tool.call", params), cli::render_generic);
         }}),
        running({"run", "[PROMPT]", "run an agent task and follow it: [--workspace DIR] [--provider ID] [--model M] "
                            "[--skill ID --param K=V…] [--approve-stdin] [--json [--follow]]", run_task}),
        {"skills", "", "skills a task can start from (workspace > user > bundled): [--workspace DIR]",
         [](Context& ctx) {
             std::error_code ec;
             const std::string ws = ctx.args.value("workspace").value_or(std::filesystem::current_path(ec).string());
             return finish(ctx, ctx.call("skill.list", {{"workspace", ws}}), cli::render_skills);
         }},
        api_row("task list", "", "recent tasks with their state", "task.list", {}, cli::render_tasks),
        api_row("task show", "ID", "one task: state, result, error", "task.get", {"id"}),
        api_row("task events", "ID", "a task's journal", "task.events", {"id"}),
        api_row("task cancel", "ID", "cancel a task", "task.cancel", {"id"}),
        running({"task resume", "ID", "continue an interrupted task and follow it", resume_task}),
        api_row("approvals", "", "pending approvals", "approval.list", {}, cli::render_approvals),
        api_row("workspace list", "", "registered workspaces", "workspace.list"),
        api_row("workspace create", "DIR", "register a folder as a workspace", "workspace.create", {"path"}),
        api_row("workspace show", "ID", "one workspace", "workspace.get", {"id"}),
        api_row("channel list", "", "channel instances with their status", "channel.list"),
        api_row("channel get", "ID", "one channel instance", "channel.get", {"id"}),
        api_row("channel create", "", "create a channel instance: --params JSON", "channel.create"),
        api_row("channel update", "ID", "change a channel instance: --params JSON", "channel.update", {"id"}),
        api_row("channel test", "ID", "check a channel's credentials and reachability", "channel.test", {"id"}, cli::render_generic, kRunning),
        api_row("channel enable", "ID", "enable a channel instance", "channel.enable", {"id"}, cli::render_generic, kRunning),
        api_row("channel disable", "ID", "disable a channel instance", "channel.disable", {"id"}, cli::render_generic, kRunning),
        api_row("channel remove", "ID", "delete a channel instance and its secrets", "channel.remove", {"id"}),
        api_row("cron list", "", "scheduled jobs", "cron.list"),
        api_row("cron get", "ID", "one scheduled job", "cron.get", {"id"}),
        api_row("cron add", "", "add a job: --params JSON (schedule, prompt, …; see docs/cron.md)", "cron.add"),
        api_row("cron update", "ID", "change a job: --params JSON", "cron.update", {"id"}),
        api_row("cron remove", "ID", "delete a job", "cron.remove", {"id"}),
        api_row("cron run", "ID", "run a job now", "cron.run", {"id"}, cli::render_generic, kRunning),
        api_row("cron runs", "ID", "a job's past runs", "cron.runs", {"id"}),
        api_row("outbox list", "", "outgoing deliveries (--params '{\"state\":\"dead\"}')", "outbox.list"),
        api_row("outbox retry", "ID", "retry a dead-lettered delivery", "outbox.retry", {"id"}),
        api_row("mcp list", "", "MCP servers with their state", "mcp.list", {}, cli::render_generic, kRunning),
        api_row("mcp add", "NAME", "add an MCP server: --params JSON (command, args, …)", "mcp.add", {"name"}, cli::render_generic, kRunning),
        api_row("mcp remove", "NAME", "remove an MCP server", "mcp.remove", {"name"}, cli::render_generic, kRunning),
        api_row("mcp enable", "NAME", "enable an MCP server", "mcp.enable", {"name"}, cli::render_generic, kRunning),
        api_row("mcp disable", "NAME", "disable an MCP server", "mcp.disable", {"name"}, cli::render_generic, kRunning),
        api_row("mcp test", "NAME", "connect to an MCP server and list its tools", "mcp.test", {"name"}, cli::render_generic, kRunning),
        api_row("mcp login", "NAME", "OAuth login for an HTTP MCP server: prints the URL to open in a browser", "mcp.login", {"name"}, cli::render_generic, kRunning),
        {"mcp serve", "", "serve CoWork itself over MCP on stdin/stdout (Claude Desktop etc., docs/mcp.md)",
         [](Context& ctx) { return cli::mcp_serve(ctx.args); }},
        daemon_row("devices list", "", "devices paired with coworkd's control plane", "devices.list"),
        daemon_row("devices revoke", "DEVICE", "revoke a paired device (its connections close)", "devices.revoke", {"deviceId"}),
        api_row("providers list", "", "running LLM providers and their models", "provider.list", {}, cli::render_generic, kRunning),
        running({"providers test", "", "send one tiny completion through each provider (--params '{\"id\":…,\"model\":…}')",
         [](Context& ctx) {
             auto p = parse_json_option(ctx.args, "params");
             if (!p) return finish(ctx, p.error(), cli::render_generic);
             auto r = ctx.call("provider.test", *p);
             int rc = finish(ctx, r, cli::render_generic);
             if (rc == 0)
                 for (const auto& t : r.value())
                     if (!t.value("ok", false)) rc = 1;
             return rc;
         }}),
        api_row("api methods", "", "every API method with the scope it needs", "api.describe"),
        {"api call", "METHOD", "call any API method: --params JSON",
         [](Context& ctx) {
             auto p = parse_json_option(ctx.args, "params");
             if (!p) return finish(ctx, p.error(), cli::render_generic);
             return finish(ctx, ctx.call(word(ctx.args, 2), *p), cli::render_generic);
         }},
        {"completion", "SHELL", "print a completion script for bash, zsh or fish (see docs/cli.md)", run_completion},
    };
    return list;
}

int run_completion(Context& ctx) {
    std::vector<cli::CompletionEntry> entries;
    for (const auto& c : commands()) entries.push_back({c.path, c.summary});
    const std::string shell = word(ctx.args, 1);
    const std::string script = cli::completion_script(shell, entries, kOptions);
    if (script.empty()) {
        std::cerr << "cowork: no completion for shell '" << shell << "'; use bash, zsh or fish\n";
        return 2;
    }
    std::cout << script;
    return 0;
}

void print_help(std::ostream& out) {
    out << "Usage: cowork COMMAND [OPTIONS]\n\nCommands:\n";
    for (const auto& c : commands()) {
        std::string left = "  " + c.path + (c.usage.empty() ? "" : " " + c.usage);
        if (left.size() < 28) left.resize(28, ' ');
        out << left << c.summary << "\n";
    }
    out << "\nOptions:\n" << cli::describe_options(kOptions)
        << "\nWith a coworkd running for this home, commands go to it over its control plane (the CLI pairs\n"
           "itself on first use); otherwise the kernel runs in this process. --local/--remote force one.\n"
           "`cowork COMMAND --help` shows help for one command. Exit status: 0 ok, 1 failed, 2 usage.\n";
}

// The longest command path that prefixes the words.
const Command* match(const std::vector<std::string>& words) {
    const Command* best = nullptr;
    size_t best_len = 0;
    for (const auto& c : commands()) {
        std::istringstream in(c.path);
        std::vector<std::string> parts{std::istream_iterator<std::string>(in), {}};
        if (parts.size() > words.size() || parts.size() <= best_len) continue;
        if (std::equal(parts.begin(), parts.end(), words.begin())) {
            best = &c;
            best_len = parts.size();
        }
    }
    return best;
}

// Words the command needs; "[X]" in its usage is optional.
size_t needed_words(const Command& c) {
    std::istringstream in(c.path + " " + c.usage);
    return std::count_if(std::istream_iterator<std::string>(in), {}, [](const std::string& w) { return w.front() != '['; });
}

void print_command_help(const Command& c) {
    std::cout << "Usage: cowork " << c.path << (c.usage.empty() ? "" : " " + c.usage) << " [OPTIONS]\n\n" << c.summary << "\n";
    if (!c.method.empty())
        std::cout << "\nCalls the API method " << c.method
                  << (c.params.empty() ? "" : "; positionals become params") << "; --params JSON adds more"
                  << (c.daemon_only ? ". Needs a running coworkd" : "") << ".\n";
    std::cout << "\nOptions:\n" << cli::describe_options(kOptions);
}

}  // namespace

int main(int argc, char** argv) {
    signal(SIGPIPE, SIG_IGN);
    auto parsed = cli::parse_args(argc, argv, kOptions);
    if (!parsed) {
        std::cerr << "cowork: " << parsed.error().message << "\n";
        return 2;
    }
    const cli::Args& args = *parsed;
    if (args.words.empty()) {
        print_help(args.flag("help") ? std::cout : std::cerr);
        return args.flag("help") ? 0 : 2;
    }
    const Command* cmd = match(args.words);
    if (!cmd) {
        std::cerr << "cowork: unknown command '" << args.words.front() << "' (see cowork --help)\n";
        return 2;
    }
    if (args.flag("help")) {
        print_command_help(*cmd);
        return 0;
    }
    if (args.words.size() < needed_words(*cmd)) {
        std::cerr << "cowork: usage: cowork " << cmd->path << " " << cmd->usage << " (see cowork " << cmd->path
                  << " --help)\n";
        return 2;
    }
    Context ctx{args, args.flag("json"), cmd, nullptr, std::nullopt};
    if (auto m = ctx.mode(); !m) {
        std::cerr << "cowork: " << m.error().message << "\n";
        return 2;
    }
    return cmd->run ? cmd->run(ctx) : run_api_row(ctx);
}
