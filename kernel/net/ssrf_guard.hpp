// kernel/net/ssrf_guard.hpp — the address filter behind cowork.http/1's
// "ssrfGuard": true (a plugin fetching URLs an agent or a web page chose).
//
// Like ssrf_filter(false): loopback, private (RFC 1918, CGNAT, ULA),
// link-local, metadata, unspecified, multicast and reserved addresses are
// refused, judged on the address the name resolved to, per hop. Host names
// in `allow_private_hosts` (exact, case-insensitive: what an operator put in
// the plugin's config) may reach loopback and private addresses — never
// link-local or cloud metadata, whatever the list says.
#pragma once

#include "net/address_filter.hpp"

#include <string>
#include <vector>

namespace cowork::kernel::net {

AddressFilter ssrf_guard(std::vector<std::string> allow_private_hosts);

}  // namespace cowork::kernel::net
