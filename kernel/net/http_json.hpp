// kernel/net/http_json.hpp — the JSON shape of cowork.http/1 (abi.h) mapped
// to HttpRequest/HttpResponse.
//
// in:  {"requestId","method","url","headers":{…},"body","bodyBase64":false,
//       "timeoutMs","connectTimeoutMs","idleTimeoutMs","stream":false,
//       "maxBytes","maxRedirects":0,"responseBase64":false,
//       "ssrfGuard":false,"allowPrivateHosts":["host",…]}
// out: {"status","headers":{…},"body"} or, streamed, {"status","headers","bytes"};
//      "bodyBase64":true and a base64 body when responseBase64 was asked.
// idleTimeoutMs, maxRedirects, responseBase64, ssrfGuard and
// allowPrivateHosts are additions to the abi.h list (ssrfGuard: see
// ssrf_guard.hpp); unknown fields are ignored, so older kernels simply ignore them.
#pragma once

#include "net/http_types.hpp"

namespace cowork::kernel::net {

struct JsonHttpCall {
    HttpRequest request;
    bool stream = false;
    bool response_base64 = false;
};

Result<JsonHttpCall> http_call_from_json(const Json& in);
Json http_response_to_json(const HttpResponse& response, const JsonHttpCall& call);

}  // namespace cowork::kernel::net
