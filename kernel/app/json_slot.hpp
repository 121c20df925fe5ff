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
// A handler that may also stream events to the sink's `event` callback while
// it runs; `emit` is empty when the caller passed no event callback.
using EmitFn = std::function<void(const Json& event)>;
using StreamingJsonHandler = std::function<Result<Json>(const Json& in, const EmitFn& emit)>;

// Maps an Error code to the ABI status ("…denied…" → COWORK_E_DENIED, …).
cowork_status status_for(const Error& error);

cowork_status run_json_handler(const JsonHandler& handler, const char* in, size_t size, const cowork_sink* out);
cowork_status run_json_handler(const StreamingJsonHandler& handler, const char* in, size_t size, const cowork_sink* out);

}  // namespace cowork::kernel::app
