// cowork/sdk/error.hpp — errors as values at the boundary, exceptions inside.
#pragma once

#include <cowork/abi.h>

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace cowork::sdk {

// Thrown inside plugin code; the exception barrier turns it into a status
// plus {"code","message"} on the sink. Never crosses the C boundary.
class Error : public std::runtime_error {
public:
    Error(cowork_status status, std::string code, const std::string& message)
        : std::runtime_error(message), status_(status), code_(std::move(code)) {}
    cowork_status status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }

private:
    cowork_status status_;
    std::string code_;
};

inline Error invalid(const std::string& message) { return {COWORK_E_INVALID, "invalid", message}; }
inline Error not_found(const std::string& message) { return {COWORK_E_NOT_FOUND, "not_found", message}; }
inline Error denied(const std::string& message) { return {COWORK_E_DENIED, "denied", message}; }
inline Error failed(const std::string& message) { return {COWORK_E_FAILED, "failed", message}; }

inline const char* status_name(cowork_status s) noexcept {
    switch (s) {
    case COWORK_OK: return "ok";
    case COWORK_E_INVALID: return "invalid";
    case COWORK_E_NOT_FOUND: return "not_found";
    case COWORK_E_DENIED: return "denied";
    case COWORK_E_FAILED: return "failed";
    case COWORK_E_UNSUPPORTED: return "unsupported";
    case COWORK_E_CANCELLED: return "cancelled";
    case COWORK_E_TIMEOUT: return "timeout";
    default: return "internal";
    }
}

// The error object written to a sink on failure.
inline nlohmann::json error_json(const std::string& code, const std::string& message) {
    return {{"code", code}, {"message", message}};
}

}  // namespace cowork::sdk
