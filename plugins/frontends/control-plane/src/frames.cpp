#include "frames.hpp"

namespace cowork::cp {

Parsed parse_request(std::string_view text) {
    Parsed out;
    const Json j = Json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        out.error.message = "a frame is one JSON object";
        return out;
    }
    if (j.contains("id") && (j["id"].is_string() || j["id"].is_number_integer())) out.error.id = j["id"];
    if (j.value("type", Json()) != "req") {
        out.error.message = "type must be \"req\"";
        return out;
    }
    if (out.error.id.is_null()) {
        out.error.message = "id (a string or an integer) is required";
        return out;
    }
    if (!j.contains("method") || !j["method"].is_string() || j["method"].get<std::string>().empty()) {
        out.error.message = "method (a non-empty string) is required";
        return out;
    }
    const Json params = j.value("params", Json::object());
    if (!params.is_object() && !params.is_null()) {
        out.error.message = "params must be an object";
        return out;
    }
    Request r{out.error.id, j["method"].get<std::string>(), params.is_null() ? Json::object() : params, {}};
    if (j.contains("idempotencyKey")) {
        if (!j["idempotencyKey"].is_string() || j["idempotencyKey"].get<std::string>().size() > 200) {
            out.error.message = "idempotencyKey must be a string of at most 200 characters";
            return out;
        }
        r.idempotency_key = j["idempotencyKey"].get<std::string>();
    }
    out.request = std::move(r);
    return out;
}

Json ok_frame(const Json& id, Json payload) {
    return {{"type", "res"}, {"id", id}, {"ok", true}, {"payload", std::move(payload)}};
}

Json error_frame(const Json& id, const std::string& code, const std::string& message, Json details) {
    Json err{{"code", code}, {"message", message}};
    if (!details.is_null()) err["details"] = std::move(details);
    return {{"type", "res"}, {"id", id}, {"ok", false}, {"error", std::move(err)}};
}

Json event_frame(const std::string& event, Json payload, uint64_t seq) {
    return {{"type", "event"}, {"event", event}, {"payload", std::move(payload)}, {"seq", seq}};
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace cowork::cp
