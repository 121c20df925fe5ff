// kernel/net/address_filter.hpp — deciding, per resolved address, whether
// the client may connect to it.
//
// The client resolves names itself and asks the filter about every address
// before connecting (and again on every redirect hop), so a name that
// resolves to 127.0.0.1 cannot slip past a check done on the name alone.
#pragma once

#include <cowork/sdk/net/address_class.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace cowork::kernel::net {

struct ResolvedAddress {
    std::string host;     // the name from the URL
    std::string address;  // textual IP the name resolved to ("10.0.0.5", "::1")
    uint16_t port = 0;
};

// Returns a reason to refuse the address, or nothing to allow it.
using AddressFilter = std::function<std::optional<std::string>(const ResolvedAddress&)>;

// The classification table is shared with plugins through the SDK.
using ::cowork::sdk::net::AddressClass;

// Classifies a textual IPv4/IPv6 address (IPv4-mapped IPv6 by its IPv4).
using ::cowork::sdk::net::classify_address;
using ::cowork::sdk::net::describe;

// The SSRF guard for fetches on behalf of untrusted input (the web tool):
// refuses loopback, private (RFC 1918, CGNAT, ULA fc00::/7), link-local,
// cloud metadata (169.254.169.254, fd00:ec2::254), unspecified, multicast and
// reserved ranges. allow_private=true lets loopback and private networks
// through (a home lab) but never link-local/metadata.
AddressFilter ssrf_filter(bool allow_private = false);

}  // namespace cowork::kernel::net
