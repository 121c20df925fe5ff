#include "kernel_call.hpp"

#include <cowork/sdk/sink.hpp>

namespace cowork::hooks {

Json HookCaller::to_json() const {
    return {{"id", "hook:" + path + "@" + remote}, {"role", "operator"}, {"scopes", scopes}, {"transport", "hooks"}};
}

KernelResult call_kernel(const sdk::Host& host, const std::string& method, const Json& params, const HookCaller& caller) {
    KernelResult r;
    const auto* api = host.service<cowork_api_v1>(COWORK_SERVICE_API);
    if (!api) {
        r.code = "KERNEL_ERROR";
        r.message = "the kernel offers no API service to plugins";
        return r;
    }
    const std::string in = Json{{"method", method}, {"params", params}, {"caller", caller.to_json()}}.dump();
    sdk::Collector c;
    const cowork_status st = api->call(api->ctx, in.data(), in.size(), c.sink());
    const Json body = c.json();
    if (st == COWORK_OK) {
        r.ok = true;
        r.value = body;
        return r;
    }
    r.code = body.is_object() ? body.value("code", "") : "";
    r.message = body.is_object() ? body.value("message", "") : "";
    if (r.code.empty()) r.code = sdk::status_name(st);
    return r;
}

}  // namespace cowork::hooks
