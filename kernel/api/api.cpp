#include "api/api.hpp"

#include "core/log.hpp"
#include "core/redactor.hpp"

namespace cowork::kernel::api {

Status Api::add(MethodSpec spec, Handler handler) {
    return add_streaming(std::move(spec), [h = std::move(handler)](const Caller& c, const Json& p, const EventSink&) {
        return h(c, p);
    });
}

Status Api::add_streaming(MethodSpec spec, StreamingHandler handler) {
    std::unique_lock lock(mutex_);
    const std::string name = spec.name;
    if (methods_.count(name)) return make_error("api.duplicate", "method " + name + " is already registered");
    methods_.emplace(name, Entry{std::move(spec), std::move(handler)});
    return ok_status();
}

void Api::remove(const std::string& name) {
    std::unique_lock lock(mutex_);
    methods_.erase(name);
}

bool Api::has(std::string_view method) const {
    std::shared_lock lock(mutex_);
    return methods_.find(method) != methods_.end();
}

Result<Json> Api::call(const Caller& caller, std::string_view method, const Json& params,
                       const EventSink& events) const {
    StreamingHandler handler;
    {
        std::shared_lock lock(mutex_);
        auto it = methods_.find(method);
        if (it == methods_.end())
            return make_error(kUnknownMethod, "unknown method '" + std::string(method) + "' (see `cowork api methods`)");
        if (!caller.has_scope(it->second.spec.scope))
            return make_error(kUnauthorized,
                              "method " + std::string(method) + " needs scope '" + it->second.spec.scope + "'",
                              {{"missingScope", it->second.spec.scope}, {"role", caller.role}});
        handler = it->second.handler;
    }
    if (!params.is_object() && !params.is_null())
        return make_error(kInvalidParams, "params must be a JSON object");
    try {
        return handler(caller, params.is_null() ? Json::object() : params, events);
    } catch (const std::exception& e) {
        // Internal detail goes to the log (redacted); the caller gets a
        // stable code and a message that carries no secrets.
        logger()->error("api {} threw: {}", method, e.what());
        return make_error(kInternalError, Redactor::instance().redact(std::string(method) + " failed: " + e.what()));
    }
}

Json Api::describe() const {
    std::shared_lock lock(mutex_);
    Json out = Json::array();
    for (const auto& [name, e] : methods_)
        out.push_back({{"name", name}, {"scope", e.spec.scope}, {"sideEffect", e.spec.side_effect}, {"summary", e.spec.summary}});
    return out;
}

}  // namespace cowork::kernel::api
