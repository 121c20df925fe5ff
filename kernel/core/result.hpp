// kernel/core/result.hpp — errors as values across component boundaries.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <variant>

namespace cowork::kernel {

using Json = nlohmann::json;

// A failure: a stable machine code ("manifest.invalid"), a message a person
// can act on, and optional structured details.
struct Error {
    std::string code;
    std::string message;
    Json details = Json::object();

    Json to_json() const {
        Json j{{"code", code}, {"message", message}};
        if (!details.empty()) j["details"] = details;
        return j;
    }
};

inline Error make_error(std::string code, std::string message, Json details = Json::object()) {
    return Error{std::move(code), std::move(message), std::move(details)};
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const& { return std::get<1>(v_); }
    Error&& error() && { return std::get<1>(std::move(v_)); }

    T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace cowork::kernel
