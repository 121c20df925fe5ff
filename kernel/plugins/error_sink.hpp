// kernel/plugins/error_sink.hpp — the kernel's side of a plugin's `err` sink.
#pragma once

#include <cowork/abi.h>

#include <nlohmann/json.hpp>

#include <string>

namespace cowork::kernel::plugins {

// Collects what a plugin writes to `err` during one call. Lives on the
// caller's stack; the plugin must not keep the pointer.
class ErrorSink {
public:
    ErrorSink() {
        sink_.ctx = this;
        sink_.write = [](void* ctx, const char* data, size_t size) {
            static_cast<ErrorSink*>(ctx)->text_.assign(data, size);
        };
        sink_.event = nullptr;
    }
    ErrorSink(const ErrorSink&) = delete;
    ErrorSink& operator=(const ErrorSink&) = delete;

    const cowork_sink* sink() const noexcept { return &sink_; }

    // The plugin's own words: {"message"} if it wrote an error object, the
    // raw text otherwise, or the status when it wrote nothing.
    std::string message(cowork_status status) const {
        auto doc = nlohmann::json::parse(text_, nullptr, false);
        if (doc.is_object() && doc.contains("message") && doc["message"].is_string())
            return doc["message"].get<std::string>();
        if (!text_.empty()) return text_;
        return "returned status " + std::to_string(status) + " without a message";
    }

    // The error object's "code", or "" (e.g. kCrashedCode: the instance died).
    std::string code() const {
        auto doc = nlohmann::json::parse(text_, nullptr, false);
        if (doc.is_object() && doc.contains("code") && doc["code"].is_string()) return doc["code"].get<std::string>();
        return {};
    }

private:
    cowork_sink sink_{};
    std::string text_;
};

}  // namespace cowork::kernel::plugins
