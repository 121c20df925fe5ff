// cowork/sdk/barrier.hpp — the exception barrier at every entry point.
#pragma once

#include <cowork/abi.h>
#include <cowork/sdk/error.hpp>
#include <cowork/sdk/sink.hpp>

#include <exception>
#include <new>

namespace cowork::sdk {

// Run `fn` and translate whatever it throws into a status plus an error
// object on `out`. Nothing escapes: an exception crossing a C frame is
// undefined behaviour, so this wraps every function the kernel can call.
template <class Fn>
cowork_status guarded(const cowork_sink* out, Fn&& fn) noexcept {
    try {
        fn();
        return COWORK_OK;
    } catch (const Error& e) {
        write_result(out, error_json(e.code(), e.what()));
        return e.status();
    } catch (const nlohmann::json::exception& e) {
        write_result(out, error_json("invalid", std::string("bad JSON: ") + e.what()));
        return COWORK_E_INVALID;
    } catch (const std::bad_alloc&) {
        write_result(out, error_json("internal", "out of memory"));
        return COWORK_E_INTERNAL;
    } catch (const std::exception& e) {
        write_result(out, error_json("internal", e.what()));
        return COWORK_E_INTERNAL;
    } catch (...) {
        write_result(out, error_json("internal", "unknown exception"));
        return COWORK_E_INTERNAL;
    }
}

// Parse a JSON request crossing the boundary; malformed input is E_INVALID.
inline nlohmann::json parse_request(const char* in, size_t size) {
    if (!in || size == 0) return nlohmann::json::object();
    auto value = nlohmann::json::parse(in, in + size, nullptr, false);
    if (value.is_discarded()) throw invalid("request is not valid JSON");
    return value;
}

}  // namespace cowork::sdk
