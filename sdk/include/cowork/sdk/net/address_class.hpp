// cowork/sdk/net/address_class.hpp — what kind of address an IP is, for
// SSRF guards: the kernel's HTTP client and any plugin that connects on its
// own (the browser) judge addresses by this one table.
#pragma once

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace cowork::sdk::net {

enum class AddressClass { public_, loopback, private_, link_local, metadata, unspecified, multicast, reserved, invalid };

namespace detail {

using V4 = std::array<uint8_t, 4>;
using V6 = std::array<uint8_t, 16>;

inline bool in(const V4& a, uint8_t b0, uint8_t b1, int prefix) {
    const uint32_t ip = (uint32_t(a[0]) << 24) | (uint32_t(a[1]) << 16) | (uint32_t(a[2]) << 8) | a[3];
    const uint32_t net = (uint32_t(b0) << 24) | (uint32_t(b1) << 16);
    const uint32_t mask = prefix == 0 ? 0 : ~uint32_t(0) << (32 - prefix);
    return (ip & mask) == (net & mask);
}

inline AddressClass classify_v4(const V4& a) {
    if (a == V4{169, 254, 169, 254} || a == V4{100, 100, 100, 200}) return AddressClass::metadata;
    if (in(a, 0, 0, 8)) return AddressClass::unspecified;
    if (in(a, 127, 0, 8)) return AddressClass::loopback;
    if (in(a, 10, 0, 8) || in(a, 172, 16, 12) || in(a, 192, 168, 16) || in(a, 100, 64, 10))
        return AddressClass::private_;
    if (in(a, 169, 254, 16)) return AddressClass::link_local;
    if (in(a, 224, 0, 4)) return AddressClass::multicast;
    if (in(a, 240, 0, 4) || in(a, 198, 18, 15) || (a[0] == 192 && a[1] == 0 && a[2] == 0))
        return AddressClass::reserved;  // 240/4 incl. broadcast, benchmarking, IETF protocol
    return AddressClass::public_;
}

inline AddressClass classify_v6(const V6& a) {
    static const V6 any{}, loop{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (a == any) return AddressClass::unspecified;
    if (a == loop) return AddressClass::loopback;
    const bool zero10 = std::all_of(a.begin(), a.begin() + 10, [](uint8_t b) { return b == 0; });
    const bool mapped = zero10 && a[10] == 0xff && a[11] == 0xff;
    const bool compat = zero10 && a[10] == 0 && a[11] == 0;  // deprecated ::a.b.c.d
    const bool nat64 = a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b &&
                       std::all_of(a.begin() + 4, a.begin() + 12, [](uint8_t b) { return b == 0; });
    // An IPv4 address wrapped in IPv6 is judged by the IPv4 inside.
    if (mapped || nat64 || compat) return classify_v4(V4{a[12], a[13], a[14], a[15]});
    if (a[0] == 0x20 && a[1] == 0x02) return classify_v4(V4{a[2], a[3], a[4], a[5]});  // 6to4 2002::/16
    V6 metadata{};
    metadata[0] = 0xfd, metadata[2] = 0x0e, metadata[3] = 0xc2, metadata[14] = 0x02, metadata[15] = 0x54;
    if (a == metadata) return AddressClass::metadata;                             // fd00:ec2::254
    if ((a[0] & 0xfe) == 0xfc) return AddressClass::private_;                    // fc00::/7
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) return AddressClass::link_local;  // fe80::/10
    if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0) return AddressClass::private_;    // fec0::/10 site-local
    if (a[0] == 0xff) return AddressClass::multicast;
    if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) return AddressClass::reserved;  // documentation
    return AddressClass::public_;
}

}  // namespace detail

// Classifies a numeric IPv4 or IPv6 address ("fe80::1%eth0" zone ids allowed).
inline AddressClass classify_address(const std::string& ip) {
    detail::V4 v4{};
    if (::inet_pton(AF_INET, ip.c_str(), v4.data()) == 1) return detail::classify_v4(v4);
    detail::V6 v6{};
    const std::string bare = ip.substr(0, ip.find('%'));
    if (::inet_pton(AF_INET6, bare.c_str(), v6.data()) == 1) return detail::classify_v6(v6);
    return AddressClass::invalid;
}

inline const char* describe(AddressClass c) {
    switch (c) {
    case AddressClass::public_: return "a public address";
    case AddressClass::loopback: return "a loopback address";
    case AddressClass::private_: return "a private-network address";
    case AddressClass::link_local: return "a link-local address";
    case AddressClass::metadata: return "a cloud metadata endpoint";
    case AddressClass::unspecified: return "an unspecified address";
    case AddressClass::multicast: return "a multicast address";
    case AddressClass::reserved: return "a reserved address";
    case AddressClass::invalid: return "not an IP address";
    }
    return "unknown";
}

}  // namespace cowork::sdk::net
