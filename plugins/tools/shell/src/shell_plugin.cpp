#include "shell_plugin.hpp"

#include "workspace_path.hpp"

#include <algorithm>

namespace cowork::shell {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> string_list(const Json& config, const char* key) {
    std::vector<std::string> out;
    if (!config.contains(key) || config[key].is_null()) return out;
    if (!config[key].is_array()) throw sdk::invalid(std::string("tool.shell config: ") + key + " must be a list of strings");
    for (const auto& item : config[key]) {
        if (!item.is_string()) throw sdk::invalid(std::string("tool.shell config: ") + key + " must be a list of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

template <class T>
T config_value(const Json& config, const char* key, T fallback) {
    if (!config.contains(key) || config[key].is_null()) return fallback;
    try {
        return config[key].get<T>();
    } catch (const Json::exception&) {
        throw sdk::invalid(std::string("tool.shell config: ") + key + " has the wrong type");
    }
}

Json tool_schema() {
    return {{"type", "object"},
            {"properties",
             {{"command", {{"type", "string"}, {"minLength", 1}, {"description", "Shell command, run by /bin/sh -c"}}},
              {"cwd", {{"type", "string"}, {"description", "Directory to run in, relative to the workspace (default: the workspace root)"}}},
              {"timeoutMs",
               {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxTimeoutMs}, {"default", kDefaultTimeoutMs},
                {"description", "Kill the command (and everything it started) after this long"}}},
              {"env",
               {{"type", "object"},
                {"additionalProperties", {{"type", "string"}}},
                {"description", "Extra environment variables; secret-looking names are dropped"}}}}},
            {"required", Json::array({"command"})},
            {"additionalProperties", false}};
}

std::string status_line(const RunOutcome& r, std::int64_t timeout_ms) {
    if (r.timed_out) return "[timed out after " + std::to_string(timeout_ms) + " ms: process group killed]";
    if (r.cancelled) return "[cancelled: process group killed]";
    if (r.signal) return "[killed by signal " + std::to_string(r.signal) + "]";
    if (r.exit_code != 0) return "[exit code " + std::to_string(r.exit_code) + "]";
    return "";
}

std::int64_t timeout_from(const Json& args) {
    if (!args.contains("timeoutMs") || args["timeoutMs"].is_null()) return kDefaultTimeoutMs;
    if (!args["timeoutMs"].is_number_integer()) throw sdk::invalid("run_command: timeoutMs must be an integer");
    const auto t = args["timeoutMs"].get<std::int64_t>();
    if (t < 1 || t > kMaxTimeoutMs)
        throw sdk::invalid("run_command: timeoutMs must be between 1 and " + std::to_string(kMaxTimeoutMs));
    return t;
}

std::vector<fs::path> allowed_roots(const Json& context, const fs::path& workspace) {
    std::vector<fs::path> roots;
    if (!context.contains("allowedRoots") || !context["allowedRoots"].is_array()) return roots;
    for (const auto& item : context["allowedRoots"]) {
        if (!item.is_string()) throw sdk::invalid("run_command: context.allowedRoots must be strings");
        const auto root = canonical_workspace(item.get<std::string>());
        if (root == "/") throw sdk::denied("run_command: refusing to make / writable (context.allowedRoots)");
        if (!is_within(root, workspace)) roots.push_back(root);
    }
    return roots;
}

}  // namespace

ShellPlugin::ShellPlugin(sdk::Host host) : Plugin(host) {}

void ShellPlugin::init() {
    const Json config = host().config();
    settings_.requested = config_value<std::string>(config, "sandbox", "auto");
    settings_.allow_unsandboxed = config_value<bool>(config, "allow_unsandboxed", false);
    settings_.bwrap_path = config_value<std::string>(config, "bwrap_path", "");
    settings_.read_paths = string_list(config, "read_paths");
    settings_.data_dir = host().data_dir();
    output_limit_ = std::max<std::size_t>(1024, config_value<std::size_t>(config, "output_limit_bytes", 100 * 1024));
    kill_grace_ = std::chrono::milliseconds(config_value<std::int64_t>(config, "kill_grace_ms", 2000));
    blocklist_ = std::make_unique<Blocklist>(string_list(config, "blocked_commands"));
    if (settings_.allow_unsandboxed) host().warn("tool.shell: allow_unsandboxed = true: commands may run without a sandbox");
}

void ShellPlugin::stop(std::chrono::milliseconds) {
    // Running commands end with their calls; ask them to end now.
    std::lock_guard lock(calls_mu_);
    for (auto& [id, signal] : running_) signal->raise();
}

const ShellPlugin::SandboxState& ShellPlugin::sandbox() {
    std::call_once(probe_once_, [&] {
        sandbox_.caps = probe_capabilities(settings_);
        sandbox_.choice = choose_mechanism(settings_, sandbox_.caps);
        if (sandbox_.choice.mechanism)
            host().info(std::string("tool.shell: sandbox ") + mechanism_name(*sandbox_.choice.mechanism));
        else
            host().warn("tool.shell: " + sandbox_.choice.refusal);
    });
    return sandbox_;
}

Json ShellPlugin::sandbox_status() {
    const auto& s = sandbox();
    return describe_sandbox(settings_, s.caps, s.choice);
}

Json ShellPlugin::list_tools(const Json&, Events&) {
    Json tool{{"name", "run_command"},
              {"description",
               "Run a shell command (/bin/sh -c) in the task's workspace, inside a sandbox: only the workspace is "
               "writable, the network is off unless the task allows it, output is capped at " +
                   std::to_string(output_limit_ / 1024) + " KB (head and tail kept) and the command is killed at its "
                   "timeout. Background processes do not outlive the command."},
              {"inputSchema", tool_schema()},
              {"annotations", {{"readOnly", false}, {"concurrency", "serial"}, {"approval", "exec"}, {"sideEffects", "external"}}}};
    return {{"tools", Json::array({tool})}, {"status", sandbox_status()}};
}

Json ShellPlugin::call_tool(const Json& request, Events& events) {
    const std::string name = request.value("name", "");
    if (name != "run_command") throw sdk::not_found("tool.shell has no tool '" + name + "'");
    const Json args = request.value("arguments", Json::object());
    const Json context = request.value("context", Json::object());
    if (!args.is_object()) throw sdk::invalid("run_command: arguments must be an object");
    if (!context.is_object()) throw sdk::invalid("run_command: context must be an object");
    return run_command(request.value("callId", ""), args, context, events);
}

Json ShellPlugin::cancel(const Json& request, Events&) {
    const std::string id = request.value("callId", "");
    std::lock_guard lock(calls_mu_);
    const auto it = running_.find(id);
    if (it == running_.end()) return {{"cancelled", false}};
    it->second->raise();
    return {{"cancelled", true}};
}

std::shared_ptr<CancelSignal> ShellPlugin::register_call(const std::string& call_id) {
    auto signal = std::make_shared<CancelSignal>();
    if (call_id.empty()) return signal;  // cannot be cancelled, but still runs
    std::lock_guard lock(calls_mu_);
    if (!running_.emplace(call_id, signal).second) throw sdk::invalid("run_command: callId '" + call_id + "' is already running");
    return signal;
}

void ShellPlugin::unregister_call(const std::string& call_id) {
    std::lock_guard lock(calls_mu_);
    running_.erase(call_id);
}

Json ShellPlugin::run_command(const std::string& call_id, const Json& args, const Json& context, Events& events) {
    if (!args.contains("command") || !args["command"].is_string() || args["command"].get<std::string>().empty())
        throw sdk::invalid("run_command: 'command' (a non-empty string) is required");
    const std::string command = args["command"].get<std::string>();
    if (command.find('\0') != std::string::npos) throw sdk::invalid("run_command: command contains NUL");
    if (args.contains("cwd") && !args["cwd"].is_string()) throw sdk::invalid("run_command: cwd must be a string");
    const std::int64_t timeout_ms = timeout_from(args);

    if (const auto hit = blocklist_->match(command))
        throw sdk::denied("run_command refused: the command matches the blocked pattern \"" + hit->name + "\" (/" +
                          hit->source + "/)");

    const auto& sb = sandbox();
    if (!sb.choice.mechanism) throw sdk::denied("run_command refused: " + sb.choice.refusal);

    CommandRequest req;
    req.command = command;
    req.workspace = canonical_workspace(context.value("workspace", ""));
    req.rw_roots = allowed_roots(context, req.workspace);
    req.cwd = resolve_cwd(req.workspace, args.value("cwd", ""));
    req.network = context.value("network", false);
    req.extra_env = args.value("env", Json());
    const auto prepared = PreparedCommand::prepare(*sb.choice.mechanism, req, settings_);

    RunLimits limits;
    limits.timeout = std::chrono::milliseconds(timeout_ms);
    limits.kill_grace = kill_grace_;
    limits.output_limit = output_limit_;

    // Stream live output, but no more of it than the result may hold.
    std::size_t streamed = 0;
    bool stream_capped = false;
    const OutputSink on_output = [&](Stream stream, std::string_view chunk) {
        if (!events.listening() || stream_capped) return;
        if (streamed + chunk.size() > output_limit_) {
            stream_capped = true;
            events.emit({{"type", "notice"}, {"text", "live output limit reached; the result keeps the head and tail"}});
            return;
        }
        streamed += chunk.size();
        events.emit({{"type", "output"}, {"stream", stream == Stream::Stdout ? "stdout" : "stderr"}, {"text", std::string(chunk)}});
    };

    const auto signal = register_call(call_id);
    RunOutcome outcome;
    try {
        outcome = run_process(prepared->spec(), limits, *signal, on_output);
    } catch (const std::runtime_error& e) {
        unregister_call(call_id);
        throw sdk::failed(std::string("run_command: ") + e.what());
    }
    unregister_call(call_id);

    std::string text = outcome.output.empty() ? "(no output)" : outcome.output;
    if (const auto line = status_line(outcome, timeout_ms); !line.empty()) text += (text.ends_with('\n') ? "" : "\n") + line;
    if (!prepared->dropped_env().empty()) {
        std::string names;
        for (const auto& n : prepared->dropped_env()) names += (names.empty() ? "" : ", ") + n;
        text += "\n[env: dropped " + names + " (names that look like secrets are never passed)]";
    }
    const bool failed = outcome.exit_code != 0 || outcome.timed_out || outcome.cancelled;
    return {{"content", Json::array({{{"type", "text"}, {"text", text}}})},
            {"isError", failed},
            {"data",
             {{"exitCode", outcome.exit_code},
              {"signal", outcome.signal ? Json(outcome.signal) : Json()},
              {"timedOut", outcome.timed_out},
              {"cancelled", outcome.cancelled},
              {"truncated", outcome.truncated},
              {"outputBytes", outcome.output_bytes},
              {"durationMs", outcome.duration_ms},
              {"sandbox", mechanism_name(prepared->mechanism())},
              {"network", req.network},
              {"cwd", req.cwd.string()},
              {"envDropped", prepared->dropped_env()}}}};
}

}  // namespace cowork::shell
