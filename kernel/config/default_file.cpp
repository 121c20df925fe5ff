// The generated cowork.toml: every section, every setting at its default,
// each with a comment saying what it does. Keep in step with schema.cpp
// (the DefaultFile test parses this back and compares with Config{}).
#include "config/load.hpp"
#include "core/private_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cowork::kernel::config {

const std::string& default_config_text() {
    static const std::string text = R"toml(# cowork.toml — CoWork configuration.
#
# Written on first start with every setting at its default. Check edits with
# `cowork config check`. Any setting of the fixed sections below can be
# overridden from the environment as COWORK_<SECTION>__<KEY>, e.g.
#   COWORK_KERNEL__LOG_LEVEL=debug   COWORK_CONTROL_PLANE__PORT=18790
# (lists as comma-separated values). This file is created with mode 0600
# because it may hold provider settings; keep it that way.

[kernel]
# Log verbosity: "trace", "debug", "info", "warn", "error" or "off". Default "info".
log_level = "info"
# Where the database (cowork.db), the secrets key file and user plugins live.
# Empty: $XDG_DATA_HOME/cowork (or $COWORK_HOME when set). Default "".
data_dir = ""
# Extra directories searched for plugins (one <id>/cowork.plugin.json per
# plugin), after the bundled and user plugin directories. Default [].
plugin_dirs = []
# Plugin ids never loaded, e.g. ["channel.slack"]. Default [].
disabled_plugins = []
# Milliseconds each plugin gets to stop at shutdown (100-600000). Default 5000.
stop_deadline_ms = 5000

[guardrails]
# Regular expressions (ECMAScript, case-insensitive). A shell command
# matching any of them is denied, whatever other rules say. They are added
# to the built-in patterns (sudo, rm -rf / or ~, mkfs, dd if=, fork bomb,
# curl|sh, chmod 777, > /dev/sdX, mv /*), which cannot be removed here.
# Default [].
blocked_commands = []
# When non-empty, network access by tools and plugins is denied for every
# host not matching one of these patterns: "example.com" (exactly),
# "*.example.com" (its subdomains), optionally with ":port". Default [].
allowed_domains = []
# Hosts always denied (same patterns; wins over allowed_domains). Default [].
blocked_domains = []
# The decision when no policy rule decides: "allow", "ask" (wait for your
# approval) or "deny".
# For actions that change something (write, delete, shell, send). Default "ask".
default_side_effecting = "ask"
# For read-only actions. Default "allow".
default_read_only = "allow"
# For plugin permissions (net:connect, fs:read, fs:write, process:exec,
# secret:read, secret:write) that the plugin declared in its manifest. Undeclared
# permissions are always denied. Default "allow".
default_plugin_permission = "allow"

[secrets]
# Where the key that encrypts stored secrets comes from. Default "keyfile".
#   "keyfile"            32 random bytes in a 0600 file, created on first use.
#                        Protects copies of the database made without that
#                        file; not an attacker who can read your files.
#   "passphrase"         derived with Argon2id from $COWORK_PASSPHRASE (or a
#                        prompt) at every start; nothing key-like on disk.
#   "systemd-credential" $CREDENTIALS_DIRECTORY/cowork-secrets-key, e.g. from
#                        LoadCredentialEncrypted= in the service unit.
key_source = "keyfile"
# Key file for "keyfile". Empty: <data_dir>/secrets.key. Default "".
keyfile = ""
# Salt and Argon2id cost file for "passphrase" (not secret, but needed to
# re-derive the key: back it up). Empty: <data_dir>/secrets.kdf.json. Default "".
passphrase_params = ""

[control_plane]
# The WebSocket control plane used by the CLI and other frontends.
# "127.0.0.1" accepts connections from this machine only; any other address
# exposes it to the network. Default "127.0.0.1".
bind = "127.0.0.1"
# TCP port (1-65535). Default 18789.
port = 18789

[hooks]
# HTTP ingress for webhooks. Same binding advice as [control_plane].
# The webhook plugin (frontend.hooks, off by default, docs/hooks.md) takes
# its listener, token and mappings from [plugins."frontend.hooks"]; the
# address here is what `cowork doctor` checks.
# Default "127.0.0.1".
bind = "127.0.0.1"
# TCP port (1-65535). Default 9877.
port = 9877

[scheduler]
# Jobs whose time passed while CoWork was not running: "run_once" runs each
# such job once at start-up, "skip" waits for its next due time.
# Default "run_once".
missed_run_policy = "run_once"
# Up to this many milliseconds of random delay added to each scheduled run,
# so jobs due at the same moment do not all start at once (0-3600000).
# Default 0.
jitter_ms = 0
# Cron jobs (docs/cron.md) whose tasks may run at the same time (1-64). A
# job due while this many are running is skipped, with a history row that
# says so. Default 4.
max_concurrent_cron_runs = 4

[agent]
# The agent runtime: how tasks run (docs/tasks.md). 0 means "no limit" for
# budgets. A task may ask for smaller budgets, never larger ones.
# Tasks running at once (1-64); more wait in the queue. Default 8.
max_concurrent_tasks = 8
# LLM provider plugin id, e.g. "llm.anthropic". Empty: the first running
# LLM plugin. Default "".
default_provider = ""
# Model id. Empty: the provider's first listed model. Default "".
default_model = ""
# Tried in order when a call to the chosen provider fails (not when it is
# cancelled), as "plugin id:model", e.g. ["llm.ollama:llama3.1"]. Default [].
fallback = []
# Seconds an approval waits for an answer before it is denied (1-86400).
# Default 300.
approval_timeout_s = 300
# LLM turns per task (1-100000). Default 50.
max_iterations = 50
# Input + output tokens per task (0-1000000000). Default 2000000.
max_tokens = 2000000
# Cost per task in US dollars, as reported by the provider. Default 5.0.
max_cost_usd = 5.0
# Cost of all tasks per UTC day; 0: no cap. Default 0.0.
daily_cost_cap_usd = 0.0
# Seconds a task may run (0-604800). Default 3600.
max_wall_time_s = 3600
# Tool output larger than this many bytes reaches the model as its head and
# tail with a marker (1024-4194304). Default 32768.
tool_output_cap_bytes = 32768
# Context window in tokens when the provider does not report one; the
# conversation is summarised near it (1024-10000000). Default 128000.
context_window = 128000

# [policy] — rules on top of the guardrails. Layers are evaluated in order
# (guardrails, workspace permissions, context, tool rules); any "deny" wins,
# then any "ask", then "allow". None by default; examples:
#
# [[policy.tool_rules]]
# id = "allow-git-status"
# decision = "allow"                 # "allow" | "ask" | "deny"
# tool = "tools.shell.run_command"   # glob: * within one dotted segment, ** across
# command = "^git status"            # optional: regex searched in the command
# path = "/home/me/projects"         # optional: path prefix (whole components)
# host = "*.example.com"             # optional: host pattern
# reason = "read-only git is fine"   # shown with the decision
#
# [[policy.contexts.group]]          # also [[policy.contexts.operator]], [[policy.contexts.dm]],
#                                    # [[policy.contexts.mcp]] (calls from MCP clients of frontend.mcp-host)
# id = "no-web-in-groups"
# decision = "deny"
# tool = "tools.web.**"

# [plugins."<id>"] — settings handed to one plugin; the keys are defined by
# that plugin's configSchema (see its cowork.plugin.json). None by default.
#
# [plugins."channel.telegram"]
# # keys from the plugin's configSchema

# [providers.<name>] — settings read by LLM provider plugins; each plugin
# documents its keys. Keep API keys in the encrypted secret store rather
# than in this file. None by default.
#
# [providers.openai]
# base_url = "https://api.openai.com/v1"
)toml";
    return text;
}

Status write_default_config(const std::filesystem::path& path) {
    // Another process starting at the same moment may publish it first; its
    // file has the same text, so either outcome is fine.
    auto published = publish_private_file(path, default_config_text());
    if (!published) return make_error("config.write", published.error().message);
    return ok_status();
}

}  // namespace cowork::kernel::config
