// cowork/sdk/sink.hpp — producing into and collecting from a cowork_sink.
#pragma once

#include <cowork/abi.h>
#include <cowork/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace cowork::sdk {

// Callee side: write a JSON value as the call's result. Safe on a NULL sink.
inline void write_result(const cowork_sink* out, const nlohmann::json& value) {
    if (!out || !out->write) return;
    const std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out->write(out->ctx, text.data(), text.size());
}

// Callee side: emit one streaming/progress event, if the caller listens.
inline void write_event(const cowork_sink* out, const nlohmann::json& value) {
    if (!out || !out->event) return;
    const std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out->event(out->ctx, text.data(), text.size());
}

// Caller side: a sink that keeps the result bytes and forwards events to a
// callback. Lives on the caller's stack for the duration of one call.
class Collector {
public:
    using EventFn = std::function<void(std::string_view)>;

    explicit Collector(EventFn on_event = {}) : on_event_(std::move(on_event)) {
        sink_.ctx = this;
        sink_.write = [](void* ctx, const char* data, size_t size) {
            static_cast<Collector*>(ctx)->result_.assign(data, size);
        };
        sink_.event = [](void* ctx, const char* data, size_t size) {
            auto* self = static_cast<Collector*>(ctx);
            if (self->on_event_) self->on_event_(std::string_view(data, size));
        };
    }
    Collector(const Collector&) = delete;
    Collector& operator=(const Collector&) = delete;

    const cowork_sink* sink() const noexcept { return &sink_; }
    const std::string& text() const noexcept { return result_; }

    // Parse the result; an empty result is an empty object.
    nlohmann::json json() const {
        if (result_.empty()) return nlohmann::json::object();
        return nlohmann::json::parse(result_, nullptr, false);
    }

    // Turn a failed call into an Error carrying the callee's message.
    void throw_if(cowork_status status, std::string_view what) const {
        if (status == COWORK_OK) return;
        const auto err = json();
        std::string message = std::string(what) + " failed";
        std::string code = status_name(status);
        if (err.is_object()) {
            if (err.contains("message") && err["message"].is_string())
                message = std::string(what) + ": " + err["message"].get<std::string>();
            if (err.contains("code") && err["code"].is_string()) code = err["code"].get<std::string>();
        }
        throw Error(status, code, message);
    }

private:
    cowork_sink sink_{};
    std::string result_;
    EventFn on_event_;
};

}  // namespace cowork::sdk
