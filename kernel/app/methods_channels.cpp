// API methods over channel instances (docs/channels.md) and the kernel's
// channel registry. Read callers see configs with path- and secret-looking
// values redacted; secret values are never returned by any method.
#include "app/kernel_impl.hpp"

#include "channels/config_rules.hpp"
#include "channels/registry_channel_sender.hpp"
#include "core/redactor.hpp"

namespace cowork::kernel::app {
namespace {

using api::Caller;
using api::kInvalidParams;
using api::kMethodFailed;

// Registry errors as API errors: bad input is INVALID_PARAMS, the rest
// METHOD_FAILED; the registry's code stays in details.reason.
Error api_error(Error e) {
    const bool bad_input =
        e.code == channels::kInvalid || e.code == channels::kNotFound || e.code == channels::kDuplicateName;
    e.details["reason"] = e.code;
    e.code = bad_input ? kInvalidParams : kMethodFailed;
    e.message = Redactor::instance().redact(e.message);
    return e;
}

template <class T>
Result<Json> reply(Result<T> r, const std::function<Json(const T&)>& render) {
    if (!r) return api_error(std::move(r).error());
    return render(*r);
}

Json view(const channels::ChannelInstance& c, const Caller& caller) {
    Json j = channels::to_json(c);
    if (caller.redacted()) {
        j["config"] = channels::redact_config_for_readers(c.config);
        j["status"]["detail"] = channels::redact_detail_for_readers(c.status.detail);
    }
    return j;
}

Result<channels::ChannelRegistry*> registry(Kernel::Impl& k) {
    if (!k.channels) return make_error(kMethodFailed, "channels are unavailable: the kernel has not started them");
    return k.channels.get();
}

Result<std::string> id_param(const Json& p) {
    const std::string id = p.contains("id") && p["id"].is_string() ? p["id"].get<std::string>() : "";
    if (id.empty()) return make_error(kInvalidParams, "params.id (a channel id, see channel.list) is required");
    return id;
}

Result<Json> object_param(const Json& p, const char* key) {
    if (!p.contains(key)) return Json::object();
    if (!p[key].is_object()) return make_error(kInvalidParams, std::string("params.") + key + " must be a JSON object");
    return p[key];
}

// {name: "value"} for create; update also accepts null (delete that secret).
Result<std::map<std::string, std::optional<std::string>>> secrets_param(const Json& p, bool allow_null) {
    auto obj = object_param(p, "secrets");
    if (!obj) return obj.error();
    std::map<std::string, std::optional<std::string>> out;
    for (const auto& [name, value] : obj->items()) {
        if (value.is_string()) out[name] = value.get<std::string>();
        else if (value.is_null() && allow_null) out[name] = std::nullopt;
        else
            return make_error(kInvalidParams, "params.secrets." + name + " must be a string" +
                                                  (allow_null ? " (or null to delete it)" : ""));
    }
    return out;
}

Result<Json> create(Kernel::Impl& k, const Caller& caller, const Json& p) {
    auto r = registry(k);
    if (!r) return r.error();
    channels::NewChannel req;
    req.plugin = p.value("plugin", "");
    req.name = p.contains("name") && p["name"].is_string() ? p["name"].get<std::string>() : "";
    auto config = object_param(p, "config");
    if (!config) return config.error();
    req.config = *config;
    auto secrets = secrets_param(p, false);
    if (!secrets) return secrets.error();
    for (const auto& [name, value] : *secrets) req.secrets[name] = *value;
    if (p.contains("enabled")) {
        if (!p["enabled"].is_boolean()) return make_error(kInvalidParams, "params.enabled must be true or false");
        req.enabled = p["enabled"].get<bool>();
    }
    return reply<channels::ChannelInstance>((*r)->create(req), [&](const auto& c) { return view(c, caller); });
}

Result<Json> update(Kernel::Impl& k, const Caller& caller, const Json& p) {
    auto r = registry(k);
    if (!r) return r.error();
    auto id = id_param(p);
    if (!id) return id.error();
    channels::ChannelPatch patch;
    if (p.contains("plugin")) return make_error(kInvalidParams, "params.plugin cannot change: create a new channel instead");
    if (p.contains("name")) {
        if (!p["name"].is_string()) return make_error(kInvalidParams, "params.name must be a string");
        patch.name = p["name"].get<std::string>();
    }
    if (p.contains("config")) {
        auto config = object_param(p, "config");
        if (!config) return config.error();
        patch.config = *config;
    }
    if (p.contains("enabled")) {
        if (!p["enabled"].is_boolean()) return make_error(kInvalidParams, "params.enabled must be true or false");
        patch.enabled = p["enabled"].get<bool>();
    }
    auto secrets = secrets_param(p, true);
    if (!secrets) return secrets.error();
    patch.secrets = *secrets;
    return reply<channels::ChannelInstance>((*r)->update(*id, patch), [&](const auto& c) { return view(c, caller); });
}

Result<Json> set_enabled(Kernel::Impl& k, const Caller& caller, const Json& p, bool enabled) {
    auto r = registry(k);
    if (!r) return r.error();
    auto id = id_param(p);
    if (!id) return id.error();
    channels::ChannelPatch patch;
    patch.enabled = enabled;
    return reply<channels::ChannelInstance>((*r)->update(*id, patch), [&](const auto& c) { return view(c, caller); });
}

Result<Json> send(Kernel::Impl& k, const Json& p) {
    auto r = registry(k);
    if (!r) return r.error();
    auto id = id_param(p);
    if (!id) return id.error();
    const std::string to = p.contains("to") && p["to"].is_string() ? p["to"].get<std::string>() : "";
    const std::string text = p.contains("text") && p["text"].is_string() ? p["text"].get<std::string>() : "";
    if (to.empty()) return make_error(kInvalidParams, "params.to (the chat, user or address to send to) is required");
    if (text.empty()) return make_error(kInvalidParams, "params.text (the message) is required");
    Json message{{"chatId", to}, {"text", text}};
    if (p.contains("idempotencyKey") && p["idempotencyKey"].is_string()) message["idempotencyKey"] = p["idempotencyKey"];
    auto sent = (*r)->send(*id, message);
    if (!sent) {
        Error e = std::move(sent).error();
        // An unknown channel is the caller's mistake; anything else happened while sending.
        return e.code == channels::kNotFound ? api_error(std::move(e))
                                             : make_error(kMethodFailed, Redactor::instance().redact(e.message),
                                                          {{"reason", e.code}, {"permanent", e.details.value("permanent", false)}});
    }
    return *sent;
}

}  // namespace

// Active in coworkd (it runs the plugins), passive in the CLI: see
// kernel/channels/channel_registry.hpp. Called after the plugins started.
void Kernel::Impl::start_channels() {
    channel_repo = std::make_unique<channels::ChannelRepo>(*db);
    channel_plugins = std::make_unique<channels::ManagerChannelPlugins>(
        *plugins, [this](const std::string& id) -> std::optional<plugins::Manifest> {
            auto it = manifests.find(id);
            if (it == manifests.end()) return std::nullopt;
            return it->second;
        });
    channels::RegistryDeps deps{*channel_repo, *channel_plugins, secrets.get(), secrets_problem, bus.get()};
    channels::RegistryOptions ro;
    ro.active = options.plugin_stage == PluginStage::Running && options.role != "cli";
    channels = std::make_unique<channels::ChannelRegistry>(std::move(deps), ro);
    channels->start();
    // The outbox (started before us, stopped before us) delivers through the
    // registry; only coworkd sends, the CLI just enqueues.
    if (outbox && ro.active) outbox->set_sender(std::make_shared<channels::RegistryChannelSender>(*channels));
}

void register_channel_methods(Kernel::Impl& k) {
    using namespace api;
    auto& a = k.api;
    (void)a.add({"channel.list", kScopeRead, false, "channel instances with their status (no secret values)"},
                [&k](const Caller& caller, const Json&) -> Result<Json> {
                    auto r = registry(k);
                    if (!r) return r.error();
                    return reply<std::vector<channels::ChannelInstance>>((*r)->list(), [&](const auto& list) {
                        Json out = Json::array();
                        for (const auto& c : list) out.push_back(view(c, caller));
                        return out;
                    });
                });
    (void)a.add({"channel.get", kScopeRead, false, "one channel instance: {id}"},
                [&k](const Caller& caller, const Json& p) -> Result<Json> {
                    auto r = registry(k);
                    if (!r) return r.error();
                    auto id = id_param(p);
                    if (!id) return id.error();
                    return reply<channels::ChannelInstance>((*r)->get(*id), [&](const auto& c) { return view(c, caller); });
                });
    (void)a.add({"channel.create", kScopeWrite, true,
                 "add a channel instance: {plugin, name, config, secrets?: {name: value}, enabled?}"},
                [&k](const Caller& caller, const Json& p) { return create(k, caller, p); });
    (void)a.add({"channel.update", kScopeWrite, true,
                 "change a channel instance: {id, name?, config?, enabled?, secrets?: {name: value|null}}"},
                [&k](const Caller& caller, const Json& p) { return update(k, caller, p); });
    (void)a.add({"channel.enable", kScopeWrite, true, "enable a channel instance (opens it): {id}"},
                [&k](const Caller& caller, const Json& p) { return set_enabled(k, caller, p, true); });
    (void)a.add({"channel.disable", kScopeWrite, true, "disable a channel instance (closes it): {id}"},
                [&k](const Caller& caller, const Json& p) { return set_enabled(k, caller, p, false); });
    (void)a.add({"channel.remove", kScopeWrite, true, "delete a channel instance and its secrets: {id}"},
                [&k](const Caller&, const Json& p) -> Result<Json> {
                    auto r = registry(k);
                    if (!r) return r.error();
                    auto id = id_param(p);
                    if (!id) return id.error();
                    if (auto st = (*r)->remove(*id); !st) return api_error(st.error());
                    return Json{{"id", *id}, {"removed", true}};
                });
    (void)a.add({"channel.test", kScopeWrite, false, "check a channel's credentials and reachability: {id} → {ok, detail}"},
                [&k](const Caller&, const Json& p) -> Result<Json> {
                    auto r = registry(k);
                    if (!r) return r.error();
                    auto id = id_param(p);
                    if (!id) return id.error();
                    auto result = (*r)->test(*id);
                    if (!result) return api_error(std::move(result).error());
                    return *result;
                });
    (void)a.add({"channel.send", kScopeWrite, true, "send a message directly: {id, to, text, idempotencyKey?} → {messageId}"},
                [&k](const Caller&, const Json& p) { return send(k, p); });
}

}  // namespace cowork::kernel::app
