#include "app/json_slot.hpp"

#include "core/redactor.hpp"

namespace cowork::kernel::app {
namespace {

void write(const cowork_sink* out, const Json& value) {
    if (!out || !out->write) return;
    const std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    out->write(out->ctx, text.data(), text.size());
}

bool has(const std::string& code, const char* word) { return code.find(word) != std::string::npos; }

}  // namespace

cowork_status status_for(const Error& error) {
    const std::string& c = error.code;
    if (has(c, "denied") || has(c, "DENIED") || has(c, "UNAUTHORIZED") || has(c, "forbidden")) return COWORK_E_DENIED;
    if (has(c, "not_found") || has(c, "NOT_FOUND") || has(c, "UNKNOWN")) return COWORK_E_NOT_FOUND;
    if (has(c, "UNSUPPORTED") || has(c, "unsupported")) return COWORK_E_UNSUPPORTED;
    if (has(c, "invalid") || has(c, "INVALID")) return COWORK_E_INVALID;
    if (has(c, "timeout") || has(c, "TIMEOUT")) return COWORK_E_TIMEOUT;
    if (has(c, "cancel") || has(c, "CANCEL")) return COWORK_E_CANCELLED;
    if (has(c, "INTERNAL")) return COWORK_E_INTERNAL;
    return COWORK_E_FAILED;
}

cowork_status run_json_handler(const JsonHandler& handler, const char* in, size_t size, const cowork_sink* out) {
    return run_json_handler(StreamingJsonHandler([&handler](const Json& request, const EmitFn&) { return handler(request); }),
                            in, size, out);
}

cowork_status run_json_handler(const StreamingJsonHandler& handler, const char* in, size_t size, const cowork_sink* out) {
    // Empty when the caller listens to no events, so handlers can tell.
    EmitFn emit;
    if (out && out->event) emit = [out](const Json& event) {
        const std::string text = event.dump(-1, ' ', false, Json::error_handler_t::replace);
        out->event(out->ctx, text.data(), text.size());
    };
    try {
        Json request = Json::object();
        if (in && size) {
            request = Json::parse(in, in + size, nullptr, false);
            if (request.is_discarded()) {
                write(out, {{"code", "invalid"}, {"message", "request is not valid JSON"}});
                return COWORK_E_INVALID;
            }
        }
        auto result = handler(request, emit);
        if (!result) {
            Json err = result.error().to_json();
            err["message"] = Redactor::instance().redact(result.error().message);
            write(out, err);
            return status_for(result.error());
        }
        write(out, result.value());
        return COWORK_OK;
    } catch (const std::exception& e) {
        write(out, {{"code", "internal"}, {"message", Redactor::instance().redact(e.what())}});
        return COWORK_E_INTERNAL;
    } catch (...) {
        write(out, {{"code", "internal"}, {"message", "unknown exception"}});
        return COWORK_E_INTERNAL;
    }
}

}  // namespace cowork::kernel::app
