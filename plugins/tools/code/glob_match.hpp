// glob_match.hpp — shell-style patterns over '/'-separated relative paths,
// shared by the glob tool, grep's include/exclude and .gitignore rules.
//   *      any run of characters except '/'
//   ?      one character except '/'
//   [a-z]  a class; [!x] or [^x] negates; ']' first is literal
//   **     as a whole segment ("**/", "/**", "/**/"): zero or more segments
//   \x     x literally
#pragma once

#include <string_view>

namespace cowork::tools::code {

bool glob_match(std::string_view pattern, std::string_view path, bool case_insensitive = false);

// True when the pattern has no metacharacter at all.
bool is_literal_glob(std::string_view pattern);

}  // namespace cowork::tools::code
