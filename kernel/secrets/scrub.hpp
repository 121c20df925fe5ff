// kernel/secrets/scrub.hpp — internal: last check on every error leaving SecretStore.
// A key name can be a value pasted into the wrong field; whatever an error
// quotes passes through the Redactor first.
#pragma once

#include "core/redactor.hpp"
#include "core/result.hpp"

namespace cowork::kernel::secrets::detail {

inline void scrub_json(Json& j) {
    if (j.is_string()) {
        j = Redactor::instance().redact(j.get<std::string>());
    } else if (j.is_structured()) {
        for (auto& item : j) scrub_json(item);
    }
}

inline Error scrub(Error e) {
    e.message = Redactor::instance().redact(e.message);
    scrub_json(e.details);
    return e;
}

template <class T>
Result<T> scrub(Result<T> r) {
    if (r) return r;
    return scrub(std::move(r).error());
}

}  // namespace cowork::kernel::secrets::detail
