#include "net/address_filter.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace cowork::kernel::net {

AddressFilter ssrf_filter(bool allow_private) {
    return [allow_private](const ResolvedAddress& r) -> std::optional<std::string> {
        const AddressClass c = classify_address(r.address);
        if (c == AddressClass::public_) return std::nullopt;
        if (allow_private && (c == AddressClass::loopback || c == AddressClass::private_)) return std::nullopt;
        std::string why = r.host + " resolves to " + r.address + ", " + describe(c);
        if (c == AddressClass::loopback || c == AddressClass::private_)
            why += "; local and private networks are blocked for this fetch (allow_private to permit them)";
        return why;
    };
}

}  // namespace cowork::kernel::net
