// kernel/app/http_service.hpp — cowork.http/1 for one plugin.
//
// Every request (and every redirect hop) is checked before any DNS or
// connect: the URL's host:port must match the plugin's declared
// permissions.net:connect patterns AND the policy must allow net:connect for
// it (PolicyEngine::check_plugin_permission does both, and audits). No SSRF
// address filter is applied by default: LLM providers legitimately talk to a
// local Ollama on 127.0.0.1, and the manifest already names every host a
// plugin may reach. A plugin fetching URLs it did not choose (tool.web, with
// net:connect "*") asks for one per request with "ssrfGuard": true: after DNS,
// on the first hop and every redirect hop, loopback/private/link-local/
// metadata addresses are refused ("denied"), except loopback/private for the
// exact host names in "allowPrivateHosts" (net/ssrf_guard.hpp). The guard only
// ever adds refusals; nothing in a request can remove a check. Streaming bodies become {"type":"chunk","data":"…"} events,
// split only on whole UTF-8 characters.
#pragma once

#include "app/host_table.hpp"
#include "plugins/manifest.hpp"
#include "policy/engine.hpp"

namespace cowork::kernel::app {

// Offers COWORK_SERVICE_HTTP on `host`. `policy` outlives the host table.
void offer_http_service(HostTable& host, const plugins::Manifest& manifest, policy::PolicyEngine& policy);

}  // namespace cowork::kernel::app
