#include "oauth/metadata_discovery.hpp"

#include "oauth/metadata_urls.hpp"

namespace cowork::mcp::oauth {
namespace {

std::vector<std::string> strings(const Json& j, const char* key) {
    std::vector<std::string> out;
    if (!j.contains(key) || !j[key].is_array()) return out;
    for (const auto& v : j[key])
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

std::string string_of(const Json& j, const char* key) {
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// A 2xx JSON object, or discarded (404, HTML, unreachable: try the next URL).
Json fetch_json(const HttpFetch& http, const std::string& url, const DiscoveryLog& log) {
    try {
        const HttpReply r = http.get(url, {{"MCP-Protocol-Version", "2025-11-25"}});
        if (r.status >= 200 && r.status < 300) {
            Json j = r.json();
            if (!j.is_discarded()) return j;
            log("metadata at " + url + " is not a JSON object");
        }
    } catch (const std::exception& e) {
        log("metadata at " + url + ": " + e.what());
    }
    return Json(Json::value_t::discarded);
}

}  // namespace

ResourceMetadata discover_resource(const HttpFetch& http, const std::string& server_url,
                                   const std::string& url_from_header, const DiscoveryLog& log) {
    ResourceMetadata m;
    for (const auto& url : protected_resource_metadata_urls(server_url, url_from_header)) {
        const Json j = fetch_json(http, url, log);
        if (j.is_discarded()) continue;
        m.found = true;
        m.url = url;
        m.resource = string_of(j, "resource");
        m.authorization_servers = strings(j, "authorization_servers");
        m.scopes_supported = strings(j, "scopes_supported");
        return m;
    }
    return m;
}

ServerMetadata discover_server(const HttpFetch& http, const std::string& issuer, const DiscoveryLog& log) {
    for (const auto& url : authorization_server_metadata_urls(issuer)) {
        const Json j = fetch_json(http, url, log);
        if (j.is_discarded()) continue;
        ServerMetadata m;
        m.found = true;
        m.url = url;
        m.issuer = string_of(j, "issuer");
        m.authorization_endpoint = string_of(j, "authorization_endpoint");
        m.token_endpoint = string_of(j, "token_endpoint");
        m.registration_endpoint = string_of(j, "registration_endpoint");
        m.scopes_supported = strings(j, "scopes_supported");
        m.token_endpoint_auth_methods = strings(j, "token_endpoint_auth_methods_supported");
        m.code_challenge_methods = strings(j, "code_challenge_methods_supported");
        m.grant_types = strings(j, "grant_types_supported");
        m.client_id_metadata_documents = j.value("client_id_metadata_document_supported", false);
        if (!m.issuer.empty() && canonical_resource(m.issuer) != canonical_resource(issuer))
            log("authorization server metadata at " + url + " names issuer " + m.issuer + ", not " + issuer);
        return m;
    }
    return ServerMetadata{};
}

ServerMetadata default_endpoints(const std::string& origin) {
    ServerMetadata m;
    m.issuer = origin;
    m.authorization_endpoint = origin + "/authorize";
    m.token_endpoint = origin + "/token";
    m.registration_endpoint = origin + "/register";
    m.code_challenge_methods = {"S256"};
    return m;
}

}  // namespace cowork::mcp::oauth
