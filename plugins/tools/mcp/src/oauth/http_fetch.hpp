// http_fetch.hpp — the few HTTP exchanges OAuth makes (metadata GETs, form
// POSTs to the token and registration endpoints), through the kernel's
// cowork.http/1 like every other request of the plugin. Redirects are not
// followed: a metadata or token endpoint that redirects is misconfigured,
// and following one could leak credentials.
#pragma once

#include "oauth/encoding.hpp"

#include <cowork/sdk/host.hpp>

#include <map>
#include <string>

namespace cowork::mcp::oauth {

using Json = nlohmann::json;

struct HttpReply {
    int status = 0;
    Json headers = Json::object();
    std::string body;

    std::string header(const std::string& lower_name) const;
    // The body as a JSON object, or a discarded value.
    Json json() const;
};

class HttpFetch {
public:
    explicit HttpFetch(sdk::Host host, std::chrono::milliseconds timeout = std::chrono::milliseconds(30000))
        : host_(host), timeout_(timeout) {}

    // Transport failures (refused, DNS, timeout) throw sdk::Error.
    HttpReply get(const std::string& url, const std::map<std::string, std::string>& headers = {}) const;
    HttpReply post_form(const std::string& url, const FormFields& fields,
                        const std::map<std::string, std::string>& headers = {}) const;
    HttpReply post_json(const std::string& url, const Json& body, const std::map<std::string, std::string>& headers = {}) const;

private:
    HttpReply send(const std::string& method, const std::string& url, Json headers, const std::string& body) const;

    sdk::Host host_;
    std::chrono::milliseconds timeout_;
};

}  // namespace cowork::mcp::oauth
