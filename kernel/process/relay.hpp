// kernel/process/relay.hpp — one cowork_json_fn call carried over an Endpoint.
//
// Both directions use the same shape: the caller sends {…, "in": "<bytes>"},
// the callee runs the real cowork_json_fn with a sink that streams `event`
// notifications and collects the written result, and answers
// {"status": <cowork_status>, "out": "<bytes>"}. `in`/`out` stay strings so
// the bytes arrive exactly as written, JSON or not.
#pragma once

#include "process/endpoint.hpp"

#include <cowork/abi.h>

#include <chrono>
#include <optional>
#include <string>

namespace cowork::kernel::process {

// Callee side: run `fn` and package the answer.
Json serve_json_fn(cowork_json_fn fn, void* self, const std::string& in, const Endpoint::EventFn& emit);

// Caller side: call `method` with `params` (to which "in" is added), forward
// events to `out->event`, write the result or an error object to `out`.
cowork_status relay_json_call(Endpoint& endpoint, const std::string& method, Json params, const char* in,
                              size_t in_size, const cowork_sink* out,
                              std::optional<std::chrono::milliseconds> timeout);

// Writes a transport failure (timeout, crash) to `out` and returns its status.
cowork_status write_failure(const Reply& reply, const cowork_sink* out);

// Writes `text` as the call's result, if there is a sink to write to.
void write_to_sink(const cowork_sink* out, const std::string& text);

}  // namespace cowork::kernel::process
