// kernel/policy/audit_sink.hpp — where every decision is recorded.
//
// The kernel wires an implementation that appends to the audit_log table;
// tests use a vector. The engine calls record() synchronously on the
// deciding thread, so implementations must be cheap (queue, don't block)
// and thread-safe. record() must not throw.
#pragma once

#include "policy/decision.hpp"

#include <chrono>

namespace cowork::kernel::policy {

struct AuditRecord {
    std::chrono::system_clock::time_point at;
    Json request;       // Request::to_json(): redacted, never secret values
    Decision decision;
};

class AuditSink {
public:
    virtual ~AuditSink() = default;
    virtual void record(const AuditRecord& record) noexcept = 0;
};

// Per-call choice. `skip` is honoured only for read-only requests that end
// in allow: asks and denies are always recorded.
enum class Audit { record, skip_if_read_only_allow };

}  // namespace cowork::kernel::policy
