// cowork — the CoWork command line.
//
// Every command is an API method call: the CLI boots the kernel in-process
// (plugins initialized, no listeners started) and calls the same method the
// control plane would. The one exception is `config check`, which must work
// when the config is too broken to boot.
#include "app/kernel.hpp"
#include "bin/cli/args.hpp"
#include "bin/cli/render.hpp"
#include "bin/cli/task_follow.hpp"
#include "bin/cli/mcp_serve.hpp"
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
    {"config", true, false, "config file (default $XDG_CONFIG_HOME/cowork/cowork.toml)", "FILE"},
    {"plugin-dir", true, true, "extra plugin root", "DIR"},
    {"params", true, false, "JSON params for `api call`", "JSON"},
    {"args", true, false, "JSON arguments for `tools call`", "JSON"},
    {"workspace", true, false, "workspace folder for `tools call` and `run` (default: the current one)", "DIR"},
    {"provider", true, false, "LLM provider plugin for `run`, e.g. llm.anthropic", "ID"},
    {"model", true, false, "model for `run`", "MODEL"},
    {"approve-all", false, false, "`run`: approve every approval when there is no terminal to ask"},
    {"approve-stdin", false, false, "`run`: read a y/N answer per approval from stdin even when it is not a terminal"},
    {"skill", true, false, "`run`: start from a skill's prompt (see `cowork skills`)", "ID"},
    {"param", true, true, "`run --skill`: a skill parameter", "NAME=VALUE"},
    {"approve", false, false, "approve a `tools call` that policy would ask about (audited)"},
    {"verbose", false, false, "log kernel activity to stderr"},
};

struct Context {
    const cli::Args& args;
    bool json = false;
    std::optional<app::Kernel> kernel;

    // Boot the kernel the first time a command needs it.
    Result<app::Kernel*> boot(app::PluginStage stage = app::PluginStage::Initialized) {
        if (kernel) return &*kernel;
        app::KernelOptions o;
        if (auto c = args.value("config")) o.config_file = *c;
        for (const auto& d : args.all("plugin-dir")) o.plugin_dirs.emplace_back(d);
        o.console_log = args.flag("verbose");
        o.plugin_stage = stage;
        o.role = "cli";
        kernel.emplace(o);
        if (auto st = kernel->boot(); !st) return st.error();
        return &*kernel;
    }

    Result<Json> call(const std::string& method, const Json& params,
                      app::PluginStage stage = app::PluginStage::Initialized) {
        auto k = boot(stage);
        if (!k) return k.error();
        return (*k)->api().call(api::Caller::system("cli"), method, params);
    }
};

using Renderer = std::function<void(std::ostream&, const Json&)>;

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

// ---------------------------------------------------------------- tasks --
// The kernel runs in this process, so a task lives as long as the command:
// `run` and `task resume` follow the task to its end (Ctrl-C cancels it).

cli::FollowOptions follow_options(const Context& ctx) {
    return {ctx.json, ::isatty(STDIN_FILENO) == 1, ctx.args.flag("approve-all"), ctx.args.flag("approve-stdin")};
}

// The workspace id for a folder, registering the folder on first use.
Result<std::string> workspace_for(Context& ctx, const std::string& dir) {
    std::error_code ec;
    const auto canonical = std::filesystem::canonical(dir, ec);
    if (ec) return make_error("usage", "--workspace " + dir + " is not an existing directory");
    auto list = ctx.call("workspace.list", {}, app::PluginStage::Running);
    if (!list) return list.error();
    for (const auto& w : *list)
        if (w.value("path", "") == canonical.string()) return w.value("id", "");
    auto created = ctx.call("workspace.create", {{"path", canonical.string()}}, app::PluginStage::Running);
    if (!created) return created.error();
    if (!ctx.json) std::cerr << "registered workspace " << canonical.string() << " (read, write; writes ask first)\n";
    return created->value("id", "");
}

int follow(Context& ctx, const std::string& task_id) {
    auto call = [&ctx](const std::string& m, const Json& p) { return ctx.call(m, p, app::PluginStage::Running); };
    return cli::follow_task(call, task_id, follow_options(ctx), std::cout, std::cerr);
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
    auto task = ctx.call("task.create", params, app::PluginStage::Running);
    if (!task) return finish(ctx, task.error(), cli::render_generic);
    if (!ctx.json) std::cerr << "task " << task->value("id", "") << ": " << task->value("title", "") << "\n";
    return follow(ctx, task->value("id", ""));
}

int resume_task(Context& ctx) {
    auto task = ctx.call("task.resume", {{"id", word(ctx.args, 2)}}, app::PluginStage::Running);
    if (!task) return finish(ctx, task.error(), cli::render_generic);
    return follow(ctx, task->value("id", ""));
}

void render_tasks(std::ostream& out, const Json& list) {
    for (const auto& t : list)
        out << t.value("id", "") << "  " << t.value("status", "") << "  " << t.value("title", "") << "\n";
    if (list.empty()) out << "no tasks (start one with: cowork run \"…\")\n";
}

void render_skills(std::ostream& out, const Json& catalog) {
    for (const auto& s : catalog.value("skills", Json::array())) {
        std::string left = s.value("id", "");
        if (left.size() < 22) left.resize(22, ' ');
        std::string params;
        for (const auto& p : s.value("parameters", Json::array()))
            params += " " + p.value("name", "") + (p.value("required", false) ? "" : "?");
        out << left << " " << s.value("description", "") << "  [" << s.value("source", "")
            << (params.empty() ? "" : ";" + params) << "]\n";
    }
    for (const auto& p : catalog.value("problems", Json::array())) out << "! " << p.get<std::string>() << "\n";
    if (catalog.value("skills", Json::array()).empty()) out << "no skills\n";
    else out << "run one with: cowork run --skill ID --param NAME=VALUE … (NAME? is optional)\n";
}

void render_approvals(std::ostream& out, const Json& list) {
    for (const auto& a : list)
        out << a.value("id", "") << "  task " << a.value("taskId", "") << "  " << a.value("tool", "") << "  "
            << a.value("request", Json::object()).value("arguments", Json::object()).dump() << "\n";
    if (list.empty()) out << "no pending approvals\n";
    else out << "answer with: cowork api call approval.respond --params '{\"approvalId\":\"…\",\"decision\":\"approve\"}'\n";
}

struct Command {
    std::string path;     // "plugins list"
    std::string usage;    // extra positional usage
    std::string summary;
    std::function<int(Context&)> run;
};

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

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"version", "", "print the version",
         [](Context& ctx) {
             if (ctx.json) std::cout << Json{{"version", app::kernel_version()}, {"abi", {COWORK_ABI_MAJOR, COWORK_ABI_MINOR}}}.dump() << "\n";
             else std::cout << "cowork " << app::kernel_version() << " (plugin ABI " << COWORK_ABI_MAJOR << "." << COWORK_ABI_MINOR << ")\n";
             return 0;
         }},
        {"status", "", "kernel status: plugins, storage, bus",
         [](Context& ctx) { return finish(ctx, ctx.call("status", {}), cli::render_generic); }},
        {"doctor", "", "check the installation and say what to fix",
         [](Context& ctx) {
             auto r = ctx.call("doctor", {});
             int rc = finish(ctx, r, cli::render_doctor);
             if (rc == 0 && r.value().value("failed", 0) > 0) rc = 1;
             return rc;
         }},
        {"plugins list", "", "every plugin with its state and failure reason",
         [](Context& ctx) { return finish(ctx, ctx.call("plugin.list", {}), cli::render_plugins); }},
        {"plugins enable", "ID", "enable a plugin (takes effect at the next start)",
         [](Context& ctx) { return finish(ctx, ctx.call("plugin.enable", {{"id", word(ctx.args, 2)}}), cli::render_generic); }},
        {"plugins disable", "ID", "disable a plugin (takes effect at the next start)",
         [](Context& ctx) { return finish(ctx, ctx.call("plugin.disable", {{"id", word(ctx.args, 2)}}), cli::render_generic); }},
        {"plugins trust", "ID", "record the SHA-256 of a plugin's library as trusted",
         [](Context& ctx) { return finish(ctx, ctx.call("plugin.trust", {{"id", word(ctx.args, 2)}}), cli::render_generic); }},
        {"config check", "", "report every problem in cowork.toml with file:line:column", run_config_check},
        {"config show", "", "the effective configuration, secrets masked",
         [](Context& ctx) { return finish(ctx, ctx.call("config.get", {}), cli::render_generic); }},
        {"secrets set", "KEY", "store a secret read from stdin, encrypted",
         [](Context& ctx) {
             std::string value((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
             while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
             return finish(ctx, ctx.call("secret.set", {{"key", word(ctx.args, 2)}, {"value", value}}), cli::render_generic);
         }},
        {"secrets list", "", "names of stored secrets (never values)",
         [](Context& ctx) { return finish(ctx, ctx.call("secret.list", {}), cli::render_generic); }},
        {"secrets remove", "KEY", "delete a stored secret",
         [](Context& ctx) { return finish(ctx, ctx.call("secret.remove", {{"key", word(ctx.args, 2)}}), cli::render_generic); }},
        {"tools list", "", "tools offered by running tool plugins",
         [](Context& ctx) { return finish(ctx, ctx.call("tool.list", {}, app::PluginStage::Running), cli::render_tools); }},
        {"tools call", "TOOL", "call a tool directly (policy applies): --args JSON [--workspace DIR]",
         [](Context& ctx) {
             auto a = parse_json_option(ctx.args, "args");
             if (!a) return finish(ctx, a.error(), cli::render_generic);
             Json params{{"tool", word(ctx.args, 2)}, {"arguments", *a}};
             if (auto w = ctx.args.value("workspace")) params["workspace"] = *w;
             if (ctx.args.flag("approve")) params["approve"] = true;
             return finish(ctx, ctx.call("tool.call", params, app::PluginStage::Running), cli::render_generic);
         }},
        {"run", "[PROMPT]", "run an agent task here and follow it: [--workspace DIR] [--provider ID] [--model M] "
                            "[--skill ID --param K=V…] [--approve-stdin]", run_task},
        {"skills", "", "skills a task can start from (workspace > user > bundled): [--workspace DIR]",
         [](Context& ctx) {
             std::error_code ec;
             const std::string ws = ctx.args.value("workspace").value_or(std::filesystem::current_path(ec).string());
             return finish(ctx, ctx.call("skill.list", {{"workspace", ws}}), render_skills);
         }},
        {"task list", "", "recent tasks with their state",
         [](Context& ctx) { return finish(ctx, ctx.call("task.list", {}), render_tasks); }},
        {"task show", "ID", "one task: state, result, error",
         [](Context& ctx) { return finish(ctx, ctx.call("task.get", {{"id", word(ctx.args, 2)}}), cli::render_generic); }},
        {"task events", "ID", "a task's journal",
         [](Context& ctx) { return finish(ctx, ctx.call("task.events", {{"id", word(ctx.args, 2)}}), cli::render_generic); }},
        {"task cancel", "ID", "cancel a task",
         [](Context& ctx) { return finish(ctx, ctx.call("task.cancel", {{"id", word(ctx.args, 2)}}), cli::render_generic); }},
        {"task resume", "ID", "continue an interrupted task and follow it", resume_task},
        {"approvals", "", "pending approvals",
         [](Context& ctx) { return finish(ctx, ctx.call("approval.list", {}), render_approvals); }},
        {"providers list", "", "running LLM providers and their models",
         [](Context& ctx) { return finish(ctx, ctx.call("provider.list", {}, app::PluginStage::Running), cli::render_generic); }},
        {"providers test", "", "send one tiny completion through each provider (--params '{\"id\":…,\"model\":…}')",
         [](Context& ctx) {
             auto p = parse_json_option(ctx.args, "params");
             if (!p) return finish(ctx, p.error(), cli::render_generic);
             auto r = ctx.call("provider.test", *p, app::PluginStage::Running);
             int rc = finish(ctx, r, cli::render_generic);
             if (rc == 0)
                 for (const auto& t : r.value())
                     if (!t.value("ok", false)) rc = 1;
             return rc;
         }},
        {"mcp serve", "", "serve CoWork itself over MCP on stdin/stdout (Claude Desktop etc., docs/mcp.md)",
         [](Context& ctx) { return cli::mcp_serve(ctx.args); }},
        {"api methods", "", "every API method with the scope it needs",
         [](Context& ctx) { return finish(ctx, ctx.call("api.describe", {}), cli::render_generic); }},
        {"api call", "METHOD", "call any API method: --params JSON",
         [](Context& ctx) {
             auto p = parse_json_option(ctx.args, "params");
             if (!p) return finish(ctx, p.error(), cli::render_generic);
             return finish(ctx, ctx.call(word(ctx.args, 2), *p), cli::render_generic);
         }},
    };
    return list;
}

void print_help(std::ostream& out) {
    out << "Usage: cowork COMMAND [OPTIONS]\n\nCommands:\n";
    for (const auto& c : commands()) {
        std::string left = "  " + c.path + (c.usage.empty() ? "" : " " + c.usage);
        if (left.size() < 28) left.resize(28, ' ');
        out << left << c.summary << "\n";
    }
    out << "\nOptions:\n" << cli::describe_options(kOptions)
        << "\n`cowork COMMAND --help` shows help for one command. Exit status: 0 ok, 1 failed, 2 usage.\n";
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
        std::cout << "Usage: cowork " << cmd->path << (cmd->usage.empty() ? "" : " " + cmd->usage) << " [OPTIONS]\n\n"
                  << cmd->summary << "\n\nOptions:\n" << cli::describe_options(kOptions);
        return 0;
    }
    if (args.words.size() < needed_words(*cmd)) {
        std::cerr << "cowork: usage: cowork " << cmd->path << " " << cmd->usage << "\n";
        return 2;
    }
    Context ctx{args, args.flag("json"), std::nullopt};
    const int rc = cmd->run(ctx);
    if (ctx.kernel) ctx.kernel->shutdown();
    return rc;
}
