// kernel/agent/output_cap.hpp — keep large tool output useful and bounded.
#pragma once

#include <cstddef>
#include <string>

namespace cowork::kernel::agent {

// At most ~max_bytes: the head and the tail (the start says what it is, the
// end usually holds the error or the summary) with a marker naming how much
// was left out. Never splits a UTF-8 sequence.
std::string cap_output(const std::string& text, size_t max_bytes);

}  // namespace cowork::kernel::agent
