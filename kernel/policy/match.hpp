// kernel/policy/match.hpp — the small matching languages rules use.
#pragma once

#include <string_view>

namespace cowork::kernel::policy {

// Glob on dotted ids: `*` matches within one segment (no '.'), `**` matches
// across segments, `?` one non-dot character. "tools.shell.*" matches
// "tools.shell.run_command" but not "tools.shell.x.y"; "tools.**" matches both.
bool glob_match(std::string_view pattern, std::string_view text);

// True when `path` is `root` or lies below it, by whole components:
// "/a/b" contains "/a/b/c" but not "/a/bc". Both are normalised lexically
// ("/a/./b/" == "/a/b", "/a/b/../c" == "/a/c", "/.." == "/" as in POSIX);
// relative paths never match.
bool path_within(std::string_view root, std::string_view path);

// Host patterns, case-insensitive, trailing dot ignored:
//   "example.com"      exactly that host
//   "*.example.com"    any subdomain (a.example.com, a.b.example.com), not example.com
//   "*"                any host
//   "host:443"         the pattern's port must equal the target's port; a
//                      pattern without a port matches any port.
bool host_matches(std::string_view pattern, std::string_view host_and_port);

// "https://user@Example.com:8443/x" -> "example.com:8443"; "" when not a URL.
std::string host_of_url(std::string_view url);

}  // namespace cowork::kernel::policy
