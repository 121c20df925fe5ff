// html_entities.hpp — character references in HTML text and attributes:
// the common named ones and every numeric one (&#65; &#x41;).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cowork::web {

// Decodes references; unknown names are kept as written. Invalid or
// surrogate code points become U+FFFD. &nbsp; becomes a plain space: the
// output is for reading, and a non-breaking space would defeat whitespace
// collapsing.
std::string decode_entities(std::string_view s);

void append_utf8(std::string& out, uint32_t cp);

}  // namespace cowork::web
