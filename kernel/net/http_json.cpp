#include "net/http_json.hpp"

#include "net/base64.hpp"
#include "net/ssrf_guard.hpp"

namespace cowork::kernel::net {
namespace {

Error invalid(const std::string& what) { return make_error(code::invalid, "http.request: " + what); }

// A positive integer field, or the default; false if present but wrong.
bool positive(const Json& in, const char* key, uint64_t& out) {
    const auto it = in.find(key);
    if (it == in.end() || it->is_null()) return true;
    if (!it->is_number_integer() || it->get<int64_t>() <= 0) return false;
    out = it->get<uint64_t>();
    return true;
}

bool millis(const Json& in, const char* key, std::chrono::milliseconds& out) {
    uint64_t v = static_cast<uint64_t>(out.count());
    if (!positive(in, key, v)) return false;
    out = std::chrono::milliseconds(static_cast<int64_t>(std::min<uint64_t>(v, 24ull * 3600 * 1000)));
    return true;
}

// "ssrfGuard": true [+ "allowPrivateHosts": ["host", …]] → the request's
// own address filter (nothing when the guard is off). The list means nothing
// without the guard: it can only loosen what the plugin itself asked for.
Result<AddressFilter> ssrf_guard_from_json(const Json& in) {
    const auto guard = in.find("ssrfGuard");
    if (guard == in.end() || guard->is_null()) return AddressFilter{};
    if (!guard->is_boolean()) return invalid("\"ssrfGuard\" must be true or false");
    std::vector<std::string> hosts;
    if (const auto list = in.find("allowPrivateHosts"); list != in.end() && !list->is_null()) {
        if (!list->is_array()) return invalid("\"allowPrivateHosts\" must be an array of host names");
        for (const auto& h : *list) {
            if (!h.is_string() || h.get<std::string>().empty())
                return invalid("\"allowPrivateHosts\" must be an array of non-empty host names");
            hosts.push_back(h.get<std::string>());
        }
    }
    if (!guard->get<bool>()) return AddressFilter{};
    return ssrf_guard(std::move(hosts));
}

}  // namespace

Result<JsonHttpCall> http_call_from_json(const Json& in) {
    if (!in.is_object()) return invalid("the request must be a JSON object");
    JsonHttpCall call;
    HttpRequest& r = call.request;
    if (!in.contains("url") || !in["url"].is_string()) return invalid("\"url\" (string) is required");
    r.url = in["url"].get<std::string>();
    r.request_id = in.value("requestId", std::string());
    r.method = in.value("method", std::string("GET"));
    if (const auto h = in.find("headers"); h != in.end() && !h->is_null()) {
        if (!h->is_object()) return invalid("\"headers\" must be an object of strings");
        for (const auto& [name, value] : h->items()) {
            if (!value.is_string()) return invalid("header '" + name + "' must be a string");
            r.headers.emplace_back(name, value.get<std::string>());
        }
    }
    const std::string body = in.value("body", std::string());
    if (in.value("bodyBase64", false)) {
        auto decoded = base64_decode(body);
        if (!decoded) return invalid("\"body\" is not valid base64 although bodyBase64 is true");
        r.body = std::move(*decoded);
    } else {
        r.body = body;
    }
    if (!millis(in, "timeoutMs", r.timeout) || !millis(in, "connectTimeoutMs", r.connect_timeout) ||
        !millis(in, "idleTimeoutMs", r.idle_timeout))
        return invalid("timeoutMs, connectTimeoutMs and idleTimeoutMs must be positive integers");
    if (!positive(in, "maxBytes", r.max_bytes)) return invalid("\"maxBytes\" must be a positive integer");
    const Json redirects = in.value("maxRedirects", Json(0));
    if (!redirects.is_number_integer() || redirects.get<int64_t>() < 0 || redirects.get<int64_t>() > 20)
        return invalid("\"maxRedirects\" must be 0-20");
    r.max_redirects = redirects.get<int>();
    if (auto guard = ssrf_guard_from_json(in); !guard) return guard.error();
    else r.filter = std::move(*guard);
    call.stream = in.value("stream", false);
    call.response_base64 = in.value("responseBase64", false);
    return call;
}

Json http_response_to_json(const HttpResponse& response, const JsonHttpCall& call) {
    Json out{{"status", response.status}, {"headers", response.headers}};
    if (call.stream) {
        out["bytes"] = response.bytes;
    } else if (call.response_base64) {
        out["body"] = base64_encode(response.body);
        out["bodyBase64"] = true;
    } else {
        out["body"] = response.body;
    }
    if (response.url != call.request.url) out["url"] = response.url;  // only after a redirect changed it
    return out;
}

}  // namespace cowork::kernel::net
