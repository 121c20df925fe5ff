#include "responses.hpp"

namespace cowork::hooks {

Response ok(int status, Json fields) {
    Response r;
    r.status = status;
    r.body = Json{{"ok", true}};
    for (auto& [k, v] : fields.items()) r.body[k] = std::move(v);
    return r;
}

Response failure(int status, const std::string& code, const std::string& message) {
    Response r;
    r.status = status;
    r.body = {{"ok", false}, {"error", {{"code", code}, {"message", message}}}};
    return r;
}

int http_status_for(const std::string& kernel_code) {
    if (kernel_code == "INVALID_PARAMS") return 400;
    if (kernel_code == "UNKNOWN_METHOD") return 501;
    if (kernel_code == "UNAUTHORIZED") return 403;
    return 502;
}

Response kernel_failure(const std::string& method, const KernelResult& r) {
    const int status = http_status_for(r.code);
    std::string message = r.message.empty() ? "the kernel refused " + method : r.message;
    if (status == 501)
        message = "this CoWork build has no kernel method " + method +
                  " (the service behind this endpoint is not available yet): " + message;
    return failure(status, r.code.empty() ? "KERNEL_ERROR" : r.code, message);
}

}  // namespace cowork::hooks
