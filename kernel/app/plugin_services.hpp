// kernel/app/plugin_services.hpp — the kernel services offered to one
// plugin, each bound to that plugin's identity and manifest permissions:
//   cowork.storage/1  its own p_<id>_ tables only
//   cowork.secrets/1  keys it declared under secret:read (get) / secret:write (put), if policy agrees
//   cowork.config/1   its [plugins."<id>"] table + schema defaults + secret fields
//   cowork.api/1      frontends act for the callers they authenticated;
//                     every other plugin acts as itself with the read role
//   cowork.policy/1   decisions about its own requests
// (cowork.log/1, cowork.bus/1 and cowork.scheduler/1 are wired by the kernel.)
#pragma once

#include "api/api.hpp"
#include "app/host_table.hpp"
#include "config/config.hpp"
#include "plugins/manifest.hpp"
#include "policy/engine.hpp"
#include "secrets/secret_store.hpp"
#include "storage/database.hpp"

namespace cowork::kernel::app {

struct ServiceDeps {
    storage::Database& db;
    secrets::SecretStore* secrets;  // null when no key could be loaded
    policy::PolicyEngine& policy;
    api::Api& api;
    const config::Config& config;
};

void offer_plugin_services(HostTable& host, const plugins::Manifest& manifest, const ServiceDeps& deps);

// The plugin's effective config: configSchema defaults, then its
// [plugins."<id>"] table, then secret fields from the secret store
// (stored under "plugin.<id>.<field>").
Json plugin_config(const plugins::Manifest& manifest, const config::Config& config, secrets::SecretStore* secrets);

// A policy request as a plugin (or an API caller) states it in JSON.
Result<policy::Request> policy_request_from_json(const Json& j);

}  // namespace cowork::kernel::app
