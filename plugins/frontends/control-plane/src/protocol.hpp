// protocol.hpp — wire constants of the control plane (docs/control-plane.md).
#pragma once

namespace cowork::cp {

inline constexpr int kProtocolVersion = 1;
inline constexpr const char* kSignedPrefix = "cowork-connect-v1";

// Error codes carried in res.error.code.
inline constexpr const char* kUnauthorized = "UNAUTHORIZED";
inline constexpr const char* kInvalidFrame = "INVALID_FRAME";
inline constexpr const char* kUnknownMethod = "UNKNOWN_METHOD";
inline constexpr const char* kInvalidParams = "INVALID_PARAMS";
inline constexpr const char* kMethodFailed = "METHOD_FAILED";
inline constexpr const char* kInternalError = "INTERNAL_ERROR";

// WebSocket close codes (4000–4999 is the application range).
inline constexpr int kCloseAuthFailed = 4001;
inline constexpr int kCloseHandshakeTimeout = 4002;
inline constexpr int kCloseRevoked = 4003;
inline constexpr int kCloseSlowConsumer = 4008;
inline constexpr int kCloseRateLimited = 4029;

}  // namespace cowork::cp
