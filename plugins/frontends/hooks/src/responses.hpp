// responses.hpp — the JSON bodies every endpoint answers with, and how a
// kernel API error becomes an HTTP status.
//   success: {"ok":true, …}     failure: {"ok":false,"error":{"code","message"}}
#pragma once

#include "http_types.hpp"

#include <string>

namespace cowork::hooks {

Response ok(int status, Json fields = Json::object());
Response failure(int status, const std::string& code, const std::string& message);

// The outcome of one kernel API call (see kernel_call.hpp).
struct KernelResult {
    bool ok = false;
    Json value;            // the method's result when ok
    std::string code;      // kernel error code otherwise (INVALID_PARAMS, …)
    std::string message;
};

// INVALID_PARAMS → 400, UNKNOWN_METHOD → 501, UNAUTHORIZED → 403, anything
// else → 502. The kernel's code and message are passed on.
int http_status_for(const std::string& kernel_code);
Response kernel_failure(const std::string& method, const KernelResult& r);

}  // namespace cowork::hooks
