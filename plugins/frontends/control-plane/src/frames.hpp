// frames.hpp — parse request frames, build response/event frames.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cowork::cp {

using Json = nlohmann::json;

struct Request {
    Json id;              // string or number, echoed verbatim
    std::string method;
    Json params = Json::object();
    std::string idempotency_key;  // optional, top-level "idempotencyKey"
};

struct FrameError {
    Json id;  // null when the frame had no usable id
    std::string message;
};

// Either a well-formed request or why not. Never throws.
struct Parsed {
    std::optional<Request> request;
    FrameError error;
};
Parsed parse_request(std::string_view text);

Json ok_frame(const Json& id, Json payload);
Json error_frame(const Json& id, const std::string& code, const std::string& message, Json details = nullptr);
Json event_frame(const std::string& event, Json payload, uint64_t seq);

// Serialize without throwing on invalid UTF-8 coming from the kernel.
std::string dump(const Json& j);

}  // namespace cowork::cp
