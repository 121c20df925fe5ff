// kernel/app/http_service.hpp — cowork.http/1 for one plugin.
//
// Every request (and every redirect hop) is checked before any DNS or
// connect: the URL's host:port must match the plugin's declared
// permissions.net:connect patterns AND the policy must allow net:connect for
// it (PolicyEngine::check_plugin_permission does both, and audits). No SSRF
// address filter is applied here: LLM providers legitimately talk to a local
// Ollama on 127.0.0.1, and the manifest already names every host a plugin
// may reach. Streaming bodies become {"type":"chunk","data":"…"} events,
// split only on whole UTF-8 characters.
#pragma once

#include "app/host_table.hpp"
#include "plugins/manifest.hpp"
#include "policy/engine.hpp"

namespace cowork::kernel::app {

// Offers COWORK_SERVICE_HTTP on `host`. `policy` outlives the host table.
void offer_http_service(HostTable& host, const plugins::Manifest& manifest, policy::PolicyEngine& policy);

}  // namespace cowork::kernel::app
