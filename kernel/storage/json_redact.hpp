// kernel/storage/json_redact.hpp — secrets out of JSON before it is stored.
#pragma once

#include "core/result.hpp"

namespace cowork::kernel::storage {

// A copy of `value` with every registered secret (core/redactor.hpp)
// replaced in every string and object key. Works on the tree, not on the
// serialized text, so the result is always valid JSON.
Json redact_json(const Json& value);

}  // namespace cowork::kernel::storage
