#include "policy/request.hpp"

#include "core/redactor.hpp"

namespace cowork::kernel::policy {

std::string_view to_string(RequestKind kind) {
    switch (kind) {
        case RequestKind::tool: return "tool";
        case RequestKind::plugin_permission: return "plugin_permission";
        case RequestKind::api: return "api";
        case RequestKind::channel_sender: return "channel_sender";
    }
    return "tool";
}

std::string_view to_string(Context context) {
    switch (context) {
        case Context::operator_: return "operator";
        case Context::dm: return "dm";
        case Context::group: return "group";
        case Context::mcp: return "mcp";
    }
    return "operator";
}

Json Request::to_json() const {
    // Commands and URLs can carry tokens typed by a user: redact before they
    // are stored in the audit log.
    const auto& r = Redactor::instance();
    Json j{{"kind", to_string(kind)}, {"tool", tool_id}, {"context", to_string(context)},
           {"read_only", read_only}};
    if (!plugin_id.empty()) j["plugin"] = plugin_id;
    if (!permission.empty()) j["permission"] = permission;
    if (!workspace_id.empty()) j["workspace"] = workspace_id;
    if (!caller.role.empty()) j["caller_role"] = caller.role;
    if (!target.path.empty()) j["path"] = r.redact(target.path);
    if (!target.command.empty()) j["command"] = r.redact(target.command);
    if (!target.url.empty()) j["url"] = r.redact(target.url);
    if (!target.host.empty()) j["host"] = target.host;
    if (!target.secret_key.empty()) j["secret_key"] = target.secret_key;
    return j;
}

}  // namespace cowork::kernel::policy
