// API methods for the encrypted secret store. Values go in, never out:
// there is deliberately no method that returns a secret's value.
#include "app/kernel_impl.hpp"

#include "core/redactor.hpp"

namespace cowork::kernel::app {
namespace {

Result<secrets::SecretStore*> store(Kernel::Impl& k) {
    if (!k.secrets)
        return make_error(api::kMethodFailed, "secrets are unavailable: " + k.secrets_problem + " (see `cowork doctor`)");
    return k.secrets.get();
}

}  // namespace

void register_secret_methods(Kernel::Impl& k) {
    using namespace api;
    auto& a = k.api;
    (void)a.add({"secret.set", kScopeAdmin, true, "store a secret, encrypted (value never returned)"},
                [&k](const Caller&, const Json& p) -> Result<Json> {
                    auto s = store(k);
                    if (!s) return s.error();
                    const std::string key = p.value("key", "");
                    if (!p.contains("value") || !p["value"].is_string())
                        return make_error(kInvalidParams, "params.value must be a string");
                    const std::string value = p["value"].get<std::string>();
                    if (value.empty()) return make_error(kInvalidParams, "params.value is empty");
                    if (auto st = (*s)->put(key, value); !st) return make_error(kInvalidParams, st.error().message);
                    Redactor::instance().add(value);
                    return Json{{"key", key}, {"stored", true}};
                });
    (void)a.add({"secret.list", kScopeAdmin, false, "names of stored secrets"},
                [&k](const Caller&, const Json&) -> Result<Json> {
                    auto s = store(k);
                    if (!s) return s.error();
                    auto names = (*s)->list();
                    if (!names) return names.error();
                    return Json{{"keys", *names}};
                });
    (void)a.add({"secret.remove", kScopeAdmin, true, "delete a stored secret"},
                [&k](const Caller&, const Json& p) -> Result<Json> {
                    auto s = store(k);
                    if (!s) return s.error();
                    if (auto st = (*s)->remove(p.value("key", "")); !st) return make_error(kInvalidParams, st.error().message);
                    return Json{{"key", p.value("key", "")}, {"removed", true}};
                });
}

}  // namespace cowork::kernel::app
