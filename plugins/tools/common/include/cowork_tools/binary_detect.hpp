// binary_detect.hpp — should a file's bytes be shown to a model as text?
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cowork::tools {

// How many leading bytes the checks look at.
inline constexpr size_t kBinarySniffBytes = 8192;

// True for NUL bytes or when more than 10% of the sample is not valid UTF-8.
// A multi-byte sequence cut by the end of the sample is not held against it.
bool looks_binary(std::string_view sample);

// Bytes that are not part of a valid UTF-8 sequence.
size_t invalid_utf8_bytes(std::string_view text);

// A MIME type from magic bytes, then the file name's extension, else
// "application/octet-stream" (binary) or "text/plain".
std::string guess_mime(std::string_view file_name, std::string_view sample);

}  // namespace cowork::tools
