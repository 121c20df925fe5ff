#include "net/ssrf_guard.hpp"

#include <algorithm>

namespace cowork::kernel::net {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool local(AddressClass c) { return c == AddressClass::loopback || c == AddressClass::private_; }

}  // namespace

AddressFilter ssrf_guard(std::vector<std::string> allow_private_hosts) {
    for (auto& h : allow_private_hosts) h = lower(h);
    return [allowed = std::move(allow_private_hosts)](const ResolvedAddress& r) -> std::optional<std::string> {
        const AddressClass c = classify_address(r.address);
        if (c == AddressClass::public_) return std::nullopt;
        const bool listed = std::find(allowed.begin(), allowed.end(), lower(r.host)) != allowed.end();
        if (listed && local(c)) return std::nullopt;
        std::string why = r.host + " resolves to " + r.address + ", " + describe(c);
        if (local(c))
            why += listed ? "" : "; loopback and private networks are refused for this request (ssrfGuard) unless "
                                 "the operator lists the host in allowPrivateHosts";
        else if (listed)
            why += "; refused even for a host in allowPrivateHosts";
        return why;
    };
}

}  // namespace cowork::kernel::net
