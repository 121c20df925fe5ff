// API methods contributed by plugins: each manifest's "api" entries become
// methods of the one surface, served through the plugin's cowork.methods/1.
//
// The kernel keeps the scope check (Api::call does it before the handler
// runs) and the namespace rule: a plugin method may not shadow a kernel
// method nor live in a namespace the kernel's own methods use. The table is
// looked up per call, so a plugin restarted after a crash serves again and a
// plugin that is not running answers with a clear error instead of a stale
// pointer.
#include "app/kernel_impl.hpp"
#include "core/log.hpp"

#include <cowork/sdk/sink.hpp>

#include <set>

namespace cowork::kernel::app {
namespace {

constexpr const char* kNotRunning = "PLUGIN_NOT_RUNNING";

std::string namespace_of(const std::string& method) { return method.substr(0, method.find('.')); }

Result<Json> call_plugin_method(Kernel::Impl& k, const std::string& plugin_id, const std::string& method,
                                const api::Caller& caller, const Json& params) {
    auto* table = static_cast<const cowork_methods_v1*>(k.plugins->interface(plugin_id, COWORK_IFACE_METHODS));
    if (!table || table->struct_size < sizeof(cowork_methods_v1))
        return make_error(kNotRunning, "plugin " + plugin_id + " is not running, so " + method +
                                           " is unavailable (see `cowork plugins list`; the in-process CLI does not start "
                                           "plugins: run coworkd and call through it)");
    const Json in{{"method", method}, {"params", params}, {"caller", caller.to_json()}};
    const std::string text = in.dump(-1, ' ', false, Json::error_handler_t::replace);
    sdk::Collector out;
    const cowork_status st = table->call(table->self, text.data(), text.size(), out.sink());
    const Json result = out.json();
    if (st == COWORK_OK) return result.is_discarded() ? Json::object() : result;
    const std::string message = result.is_object() ? result.value("message", std::string()) : std::string();
    const char* code = st == COWORK_E_INVALID || st == COWORK_E_NOT_FOUND ? api::kInvalidParams
                       : st == COWORK_E_DENIED                            ? api::kUnauthorized
                                                                          : api::kMethodFailed;
    return make_error(code, message.empty() ? method + " failed (" + sdk::status_name(st) + ")" : message,
                      {{"plugin", plugin_id}, {"status", sdk::status_name(st)}});
}

}  // namespace

void register_plugin_api_methods(Kernel::Impl& k) {
    if (!k.plugins) return;
    std::set<std::string> kernel_namespaces;
    for (const auto& m : k.api.describe()) kernel_namespaces.insert(namespace_of(m.value("name", "")));
    for (const auto& [id, manifest] : k.manifests) {
        if (manifest.api.empty()) continue;
        const auto status = k.plugins->status(id);
        if (!status || (status->state != plugins::State::Running && status->state != plugins::State::Initialized)) continue;
        for (const auto& decl : manifest.api) {
            if (kernel_namespaces.count(namespace_of(decl.name))) {
                logger()->warn("plugin {}: API method {} refused: the kernel owns the \"{}.\" namespace; rename it",
                               id, decl.name, namespace_of(decl.name));
                continue;
            }
            const std::string plugin_id = id, method = decl.name;
            auto st = k.api.add({decl.name, decl.scope, decl.side_effect, decl.summary + " [plugin " + id + "]"},
                                [&k, plugin_id, method](const api::Caller& caller, const Json& params) {
                                    return call_plugin_method(k, plugin_id, method, caller, params);
                                });
            if (!st) {
                logger()->warn("plugin {}: API method {} refused: {}", id, decl.name, st.error().message);
                continue;
            }
            k.plugin_api_methods.push_back(decl.name);
        }
    }
}

void remove_plugin_api_methods(Kernel::Impl& k) {
    for (const auto& name : k.plugin_api_methods) k.api.remove(name);
    k.plugin_api_methods.clear();
}

}  // namespace cowork::kernel::app
