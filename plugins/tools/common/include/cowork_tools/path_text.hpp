// path_text.hpp — lexical helpers on path strings (no file system access).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cowork::tools {

// "a//b/./c" → {"a","b",".","c"}: empty components dropped, dots kept (the
// resolver gives them meaning).
std::vector<std::string> split_components(std::string_view path);

// Joins with '/', no leading slash.
std::string join_components(const std::vector<std::string>& parts);

// Lexically normalizes an absolute path: collapses "//", ".", and "..".
// ".." at the top stays at "/" (as the kernel does).
std::string normalize_absolute(std::string_view path);

// True when `path` equals `root` or lies beneath it (component-wise, so
// "/ws2" is not under "/ws"). Both must be normalized absolute paths.
bool is_within(std::string_view path, std::string_view root);

// The part of `path` below `root` ("" when equal). Precondition: is_within.
std::string relative_to(std::string_view path, std::string_view root);

}  // namespace cowork::tools
