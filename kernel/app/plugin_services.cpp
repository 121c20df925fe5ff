#include "app/plugin_services.hpp"

#include "app/json_slot.hpp"
#include "storage/plugin_store.hpp"

namespace cowork::kernel::app {
namespace {

// Owns a service table plus the handlers its slots call. Every table in
// abi.h starts {struct_size, ctx, slots…}; here ctx points at the holder.
template <class Table, size_t Slots, class Handler = JsonHandler>
struct JsonService {
    Table table{};
    std::array<Handler, Slots> handlers;
};

template <class Table, size_t Slots, size_t I, class Handler = JsonHandler>
cowork_status slot(void* ctx, const char* in, size_t size, const cowork_sink* out) {
    auto* self = static_cast<JsonService<Table, Slots, Handler>*>(ctx);
    return run_json_handler(self->handlers[I], in, size, out);
}

Result<Json> await(std::future<Result<Json>> f) { return f.get(); }

void offer_storage(HostTable& host, const plugins::Manifest& m, storage::Database& db) {
    struct Holder : JsonService<cowork_storage_v1, 2> {
        Holder(storage::Database& db, const std::string& id) : store(db, id) {}
        storage::PluginStore store;
    };
    auto h = std::make_shared<Holder>(db, m.id);
    h->handlers[0] = [s = &h->store](const Json& in) { return await(s->migrate(in)); };
    h->handlers[1] = [s = &h->store](const Json& in) { return await(s->exec(in)); };
    h->table = {sizeof(cowork_storage_v1), h.get(), &slot<cowork_storage_v1, 2, 0>, &slot<cowork_storage_v1, 2, 1>};
    host.offer(COWORK_SERVICE_STORAGE, &h->table, h);
}

// The policy half of a secret access: the manifest check again (the engine
// records both in the audit log), then the rules.
secrets::SecretPolicyCheck secret_policy(policy::PolicyEngine* policy, const plugins::Permissions& declared,
                                         policy::PluginPermission permission) {
    return [=](const std::string& plugin, const std::string& key) -> Status {
        auto d = policy->check_plugin_permission({plugin, permission, key}, declared);
        if (!d.allowed()) return make_error("denied", d.reason);
        return ok_status();
    };
}

void offer_secrets(HostTable& host, const plugins::Manifest& m, const ServiceDeps& deps) {
    auto h = std::make_shared<JsonService<cowork_secrets_v1, 2>>();
    h->handlers[0] = [id = m.id, declared = m.permissions, store = deps.secrets,
                      policy = &deps.policy](const Json& in) -> Result<Json> {
        const std::string key = in.value("key", "");
        if (key.empty()) return make_error("invalid", "secrets.get needs {\"key\": \"…\"}");
        if (!store) return make_error("secrets.unavailable", "the kernel has no secrets key loaded (see `cowork doctor`)");
        auto value = store->get_for_plugin(id, key, declared.secret_read,
                                           secret_policy(policy, declared, policy::PluginPermission::secret_read));
        if (!value) return value.error();
        return Json{{"value", *value}};
    };
    // put: {"key","value":"…"} stores, {"key","value":null} deletes. The value
    // goes straight to the store (which registers it with the Redactor).
    h->handlers[1] = [id = m.id, declared = m.permissions, store = deps.secrets,
                      policy = &deps.policy](const Json& in) -> Result<Json> {
        const std::string key = in.is_object() ? in.value("key", "") : "";
        const auto value = in.is_object() ? in.find("value") : in.end();
        if (key.empty() || value == in.end() || !(value->is_string() || value->is_null()))
            return make_error("invalid", "secrets.put needs {\"key\": \"…\", \"value\": \"…\"} (or \"value\": null to delete)");
        if (!store) return make_error("secrets.unavailable", "the kernel has no secrets key loaded (see `cowork doctor`)");
        std::optional<std::string> text;
        if (value->is_string()) text = value->get_ref<const std::string&>();
        auto stored = store->put_for_plugin(id, key, text ? std::optional<std::string_view>(*text) : std::nullopt,
                                            declared.secret_write,
                                            secret_policy(policy, declared, policy::PluginPermission::secret_write));
        if (!stored) return stored.error();
        return Json::object();
    };
    h->table = {sizeof(cowork_secrets_v1), h.get(), &slot<cowork_secrets_v1, 2, 0>, &slot<cowork_secrets_v1, 2, 1>};
    host.offer(COWORK_SERVICE_SECRETS, &h->table, h);
}

void offer_config(HostTable& host, const plugins::Manifest& m, const ServiceDeps& deps) {
    auto h = std::make_shared<JsonService<cowork_config_v1, 1>>();
    h->handlers[0] = [m, cfg = &deps.config, store = deps.secrets](const Json&) -> Result<Json> {
        return plugin_config(m, *cfg, store);
    };
    h->table = {sizeof(cowork_config_v1), h.get(), &slot<cowork_config_v1, 1, 0>};
    host.offer(COWORK_SERVICE_CONFIG, &h->table, h);
}

void offer_api(HostTable& host, const plugins::Manifest& m, const ServiceDeps& deps) {
    // Streaming: a call's events (tool.call progress, questions from a running
    // tool) reach the plugin's sink while the call runs.
    using Service = JsonService<cowork_api_v1, 1, StreamingJsonHandler>;
    auto h = std::make_shared<Service>();
    const bool frontend = m.type == "frontend" || m.type == "ui";
    h->handlers[0] = [id = m.id, frontend, api = &deps.api](const Json& in, const EmitFn& emit) -> Result<Json> {
        const std::string method = in.value("method", "");
        if (method.empty()) return make_error(api::kInvalidParams, "api.call needs {\"method\": \"…\"}");
        api::Caller caller{"plugin:" + id, "read", api::scopes_for_role("read"), "plugin"};
        if (frontend && in.contains("caller")) {
            auto c = api::Caller::from_json(in["caller"]);
            if (!c) return c.error();
            caller = *c;
            caller.id = id + "/" + caller.id;  // audit trail names the frontend too
        }
        return api->call(caller, method, in.value("params", Json::object()), emit);
    };
    h->table = {sizeof(cowork_api_v1), h.get(), &slot<cowork_api_v1, 1, 0, StreamingJsonHandler>};
    host.offer(COWORK_SERVICE_API, &h->table, h);
}

void offer_policy(HostTable& host, const plugins::Manifest& m, const ServiceDeps& deps) {
    auto h = std::make_shared<JsonService<cowork_policy_v1, 1>>();
    h->handlers[0] = [id = m.id, policy = &deps.policy](const Json& in) -> Result<Json> {
        auto req = policy_request_from_json(in);
        if (!req) return req.error();
        req->plugin_id = id;  // a plugin asks about its own requests only
        return policy->evaluate(*req).to_json();
    };
    h->table = {sizeof(cowork_policy_v1), h.get(), &slot<cowork_policy_v1, 1, 0>};
    host.offer(COWORK_SERVICE_POLICY, &h->table, h);
}

}  // namespace

Json plugin_config(const plugins::Manifest& m, const config::Config& config, secrets::SecretStore* secrets) {
    Json out = Json::object();
    const Json& props = m.config_schema.value("properties", Json::object());
    for (const auto& [name, schema] : props.items())
        if (schema.is_object() && schema.contains("default")) out[name] = schema["default"];
    if (auto it = config.plugins.find(m.id); it != config.plugins.end() && it->second.is_object())
        for (const auto& [k, v] : it->second.items()) out[k] = v;
    if (secrets)
        for (const auto& field : config::secret_fields_from_schema(m.config_schema))
            if (auto v = secrets->get("plugin." + m.id + "." + field)) out[field] = *v;
    return out;
}

Result<policy::Request> policy_request_from_json(const Json& j) {
    if (!j.is_object()) return make_error("invalid", "a policy request is a JSON object");
    policy::Request r;
    const std::string kind = j.value("kind", "tool");
    if (kind == "tool") r.kind = policy::RequestKind::tool;
    else if (kind == "api") r.kind = policy::RequestKind::api;
    else if (kind == "channel_sender") r.kind = policy::RequestKind::channel_sender;
    else return make_error("invalid", "kind must be tool, api or channel_sender");
    r.tool_id = j.value("tool", "");
    const std::string ctx = j.value("context", "operator");
    if (ctx == "operator") r.context = policy::Context::operator_;
    else if (ctx == "dm") r.context = policy::Context::dm;
    else if (ctx == "group") r.context = policy::Context::group;
    else if (ctx == "mcp") r.context = policy::Context::mcp;
    else return make_error("invalid", "context must be operator, dm, group or mcp");
    r.read_only = j.value("readOnly", false);
    const Json& e = j.value("effects", Json::object());
    r.effects = {e.value("read", false), e.value("write", false), e.value("delete", false), e.value("shell", false),
                 e.value("network", false)};
    const Json& t = j.value("target", Json::object());
    r.target.path = t.value("path", "");
    r.target.command = t.value("command", "");
    r.target.url = t.value("url", "");
    r.target.host = t.value("host", "");
    return r;
}

void offer_plugin_services(HostTable& host, const plugins::Manifest& manifest, const ServiceDeps& deps) {
    offer_storage(host, manifest, deps.db);
    offer_secrets(host, manifest, deps);
    offer_config(host, manifest, deps);
    offer_api(host, manifest, deps);
    offer_policy(host, manifest, deps);
}

}  // namespace cowork::kernel::app
