#include "oauth/http_fetch.hpp"

#include <atomic>
#include <cctype>

namespace cowork::mcp::oauth {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string next_request_id() {
    static std::atomic<uint64_t> counter{0};
    return "mcp-oauth-" + std::to_string(++counter);
}

}  // namespace

std::string HttpReply::header(const std::string& lower_name) const {
    if (!headers.is_object()) return "";
    for (const auto& [k, v] : headers.items())
        if (lower(k) == lower_name && v.is_string()) return v.get<std::string>();
    return "";
}

Json HttpReply::json() const {
    Json j = Json::parse(body, nullptr, false);
    return j.is_object() ? j : Json(Json::value_t::discarded);
}

HttpReply HttpFetch::send(const std::string& method, const std::string& url, Json headers, const std::string& body) const {
    Json req{{"requestId", next_request_id()},
             {"method", method},
             {"url", url},
             {"headers", std::move(headers)},
             {"connectTimeoutMs", timeout_.count()},
             {"timeoutMs", timeout_.count()},
             {"maxBytes", 1024 * 1024},
             {"maxRedirects", 0}};
    if (!body.empty()) req["body"] = body;
    const Json out = host_.http(req);
    HttpReply r;
    r.status = out.value("status", 0);
    r.headers = out.value("headers", Json::object());
    r.body = out.value("body", std::string());
    return r;
}

HttpReply HttpFetch::get(const std::string& url, const std::map<std::string, std::string>& headers) const {
    Json h{{"Accept", "application/json"}};
    for (const auto& [k, v] : headers) h[k] = v;
    return send("GET", url, h, "");
}

HttpReply HttpFetch::post_form(const std::string& url, const FormFields& fields,
                               const std::map<std::string, std::string>& headers) const {
    Json h{{"Accept", "application/json"}, {"Content-Type", "application/x-www-form-urlencoded"}};
    for (const auto& [k, v] : headers) h[k] = v;
    return send("POST", url, h, form_encode(fields));
}

HttpReply HttpFetch::post_json(const std::string& url, const Json& body, const std::map<std::string, std::string>& headers) const {
    Json h{{"Accept", "application/json"}, {"Content-Type", "application/json"}};
    for (const auto& [k, v] : headers) h[k] = v;
    return send("POST", url, h, body.dump());
}

}  // namespace cowork::mcp::oauth
