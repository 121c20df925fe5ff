// kernel/app/json_slot.hpp — kernel-side implementation of a cowork_json_fn.
//
// The mirror of the SDK's barrier: parse the plugin's JSON, run a handler
// that returns Result<Json>, write the result or an error object, and never
// let an exception cross back into plugin code.
#pragma once

#include "core/result.hpp"

#include <cowork/abi.h>

#include <functional>

namespace cowork::kernel::app {

using JsonHandler = std::function<Result<Json>(const Json& in)>;

// Maps an Error code to the ABI status ("…denied…" → COWORK_E_DENIED, …).
cowork_status status_for(const Error& error);

cowork_status run_json_handler(const JsonHandler& handler, const char* in, size_t size, const cowork_sink* out);

}  // namespace cowork::kernel::app
