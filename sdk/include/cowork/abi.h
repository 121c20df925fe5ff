/* cowork/abi.h — the C ABI between the CoWork kernel and its plugins.
 *
 * This header is the whole boundary. It compiles as C11 and as C++20. Nothing
 * else crosses the line: no C++ types, no exceptions, no allocations that the
 * other side must free. Payloads are UTF-8 JSON; results are handed back
 * through a caller-owned `cowork_sink`, so the callee never allocates for the
 * caller.
 *
 * Versioning rules (see docs/plugins.md):
 *   - Every struct starts with `struct_size`; readers check it before touching
 *     a field, so tables can grow by appending slots. A released slot is never
 *     edited or reordered.
 *   - A plugin records the ABI it was built against in its entry struct. The
 *     kernel refuses a plugin whose major differs or whose minor is newer.
 *   - Services and interfaces are found by string id with a revision
 *     ("cowork.bus/1"). A new revision is a new id; old ones stay.
 *
 * Thread tags on every function: [main] the kernel's control thread,
 * [any-thread] any thread, possibly concurrently, [worker] a kernel worker
 * thread, never the UI thread.
 */
#ifndef COWORK_ABI_H
#define COWORK_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define COWORK_ABI_MAJOR 1
#define COWORK_ABI_MINOR 0

/* The one symbol a plugin exports: `const cowork_plugin_entry cowork_entry`. */
#define COWORK_ENTRY_SYMBOL "cowork_entry"

typedef int32_t cowork_status;
enum {
    COWORK_OK = 0,
    COWORK_E_INVALID = 1,     /* bad input: malformed JSON, missing field */
    COWORK_E_NOT_FOUND = 2,   /* unknown tool, key, method */
    COWORK_E_DENIED = 3,      /* refused by policy or permission */
    COWORK_E_FAILED = 4,      /* the operation ran and failed */
    COWORK_E_UNSUPPORTED = 5, /* not implemented by this side */
    COWORK_E_CANCELLED = 6,
    COWORK_E_TIMEOUT = 7,
    COWORK_E_INTERNAL = 8     /* a bug: an exception caught at the barrier */
};

/* Receives what a callee produces. Owned by the caller; valid only for the
 * duration of the call it is passed to. The bytes handed to `write`/`event`
 * are only valid during that callback: copy them.
 *   write: the result JSON on COWORK_OK, or an error object
 *          {"code":"…","message":"…"} otherwise. Called at most once.
 *   event: optional (may be NULL) stream of JSON events while the call runs:
 *          LLM deltas, tool progress. [any-thread] but never concurrently for
 *          one call. */
typedef struct cowork_sink {
    void* ctx;
    void (*write)(void* ctx, const char* data, size_t size);
    void (*event)(void* ctx, const char* data, size_t size);
} cowork_sink;

/* The one shape of every interface slot and most service slots: JSON in,
 * JSON out through the sink. `in` is not NUL-terminated; use `in_size`. */
typedef cowork_status (*cowork_json_fn)(void* self, const char* in, size_t in_size,
                                        const cowork_sink* out);

/* ---------------------------------------------------------------- host -- */

/* Handed to a plugin's `create`. Lives until the plugin is destroyed. */
typedef struct cowork_host {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    void* ctx;               /* host-owned; pass back unchanged */
    const char* plugin_id;   /* the id this instance runs as */
    const char* data_dir;    /* a directory owned by this plugin (created) */
    /* [any-thread] The service table with this id ("cowork.log/1"), or NULL.
     * The table lives as long as the host. */
    const void* (*get_service)(void* ctx, const char* id);
} cowork_host;

/* Log levels for cowork.log/1. */
enum { COWORK_LOG_TRACE = 0, COWORK_LOG_DEBUG = 1, COWORK_LOG_INFO = 2, COWORK_LOG_WARN = 3,
       COWORK_LOG_ERROR = 4 };

#define COWORK_SERVICE_LOG "cowork.log/1"
typedef struct cowork_log_v1 {
    uint32_t struct_size;
    void* ctx;
    /* [any-thread] Secrets registered with the kernel are redacted before writing. */
    void (*log)(void* ctx, int32_t level, const char* msg, size_t size);
} cowork_log_v1;

#define COWORK_SERVICE_BUS "cowork.bus/1"
/* [worker] Called on the subscriber's own strand, in publish order. */
typedef void (*cowork_bus_handler)(void* user, const char* topic, const char* payload,
                                   size_t size);
typedef struct cowork_bus_v1 {
    uint32_t struct_size;
    void* ctx;
    /* [any-thread] Topics are dot-separated ("task.created"). */
    cowork_status (*publish)(void* ctx, const char* topic, const char* payload, size_t size);
    /* [any-thread] Pattern: exact topic, "a.*" (one segment) or "a.#" (rest).
     * Returns a token > 0, or 0 on a bad pattern. The subscription ends on
     * unsubscribe or when the plugin stops. */
    uint64_t (*subscribe)(void* ctx, const char* pattern, cowork_bus_handler handler, void* user);
    void (*unsubscribe)(void* ctx, uint64_t token);
} cowork_bus_v1;

#define COWORK_SERVICE_STORAGE "cowork.storage/1"
/* Scoped SQLite storage: a plugin may only touch tables named
 * "p_<plugin id with dots as underscores>_…"; the kernel enforces it. */
typedef struct cowork_storage_v1 {
    uint32_t struct_size;
    void* ctx;
    /* [worker] in: {"migrations":[{"version":1,"sql":"CREATE TABLE …"}, …]}
     * Applies, in one transaction each, the versions not yet applied. */
    cowork_json_fn migrate;
    /* [worker] in: {"sql":"…","params":[…]} out: {"rows":[{…}],"changes":n} */
    cowork_json_fn exec;
} cowork_storage_v1;

#define COWORK_SERVICE_SECRETS "cowork.secrets/1"
typedef struct cowork_secrets_v1 {
    uint32_t struct_size;
    void* ctx;
    /* [any-thread] in: {"key":"…"} out: {"value":"…"}. Denied unless the
     * manifest declares secret:read for the key and policy allows it. */
    cowork_json_fn get;
    /* Appended slots (present when struct_size covers them). */
    /* [any-thread] in: {"key":"…","value":"…"} stores the value encrypted
     * (replacing any previous one); {"key":"…","value":null} deletes it
     * (deleting an absent key is not an error). out: {}. Denied unless the
     * manifest declares secret:write for the key and policy allows it. The
     * kernel never logs the value. */
    cowork_json_fn put;
} cowork_secrets_v1;
/* The size of a table with only the first slot (get). */
#define COWORK_SECRETS_V1_BASE_SIZE (offsetof(cowork_secrets_v1, put))

#define COWORK_SERVICE_CONFIG "cowork.config/1"
typedef struct cowork_config_v1 {
    uint32_t struct_size;
    void* ctx;
    /* [any-thread] in: {} out: the plugin's own config object (its
     * [plugins."<id>"] table, defaults from configSchema applied). */
    cowork_json_fn get;
} cowork_config_v1;

#define COWORK_SERVICE_SCHEDULER "cowork.scheduler/1"
typedef void (*cowork_timer_fn)(void* user);
typedef struct cowork_scheduler_v1 {
    uint32_t struct_size;
    void* ctx;
    /* [any-thread] Fires on a worker after delay_ms, then every period_ms if
     * non-zero. Returns a token > 0. */
    uint64_t (*add_timer)(void* ctx, uint64_t delay_ms, uint64_t period_ms, cowork_timer_fn fn,
                          void* user);
    void (*cancel)(void* ctx, uint64_t token);
} cowork_scheduler_v1;

#define COWORK_SERVICE_API "cowork.api/1"
typedef struct cowork_api_v1 {
    uint32_t struct_size;
    void* ctx;
    /* [worker] The kernel's one method surface.
     * in: {"method":"task.create","params":{…},"caller":{"id":"…","role":"…","scopes":[…]}}
     * The caller identity is checked by the kernel, not trusted blindly: a
     * plugin can only act as identities its permissions allow. */
    cowork_json_fn call;
} cowork_api_v1;

#define COWORK_SERVICE_POLICY "cowork.policy/1"
typedef struct cowork_policy_v1 {
    uint32_t struct_size;
    void* ctx;
    /* [any-thread] in: {"kind":"tool","tool":"…","workspace":"…","context":"operator",…}
     * out: {"decision":"allow|ask|deny","rule":"…","reason":"…"} */
    cowork_json_fn check;
} cowork_policy_v1;

#define COWORK_SERVICE_HTTP "cowork.http/1"
/* HTTP(S) for plugins, so no plugin carries its own TLS stack. The kernel
 * checks every request against the plugin's declared net:connect hosts and
 * the policy before connecting, and resolves/validates the address itself. */
typedef struct cowork_http_v1 {
    uint32_t struct_size;
    void* ctx;
    /* [worker] in: {"requestId","method","url","headers":{…},"body":"…",
     *   "bodyBase64":false,"timeoutMs":60000,"connectTimeoutMs":10000,
     *   "stream":false,"maxBytes":…}
 * Optional (newer kernels; older ones ignore unknown fields):
 *   "idleTimeoutMs", "maxRedirects" (0-20, default 0), "responseBase64";
 *   "ssrfGuard":true — after DNS resolution, on the first hop and on every
 *   redirect hop, refuse loopback, private, link-local, cloud-metadata,
 *   multicast and reserved addresses (code "denied", naming the host, the
 *   address and why). It only tightens: it cannot lift any other check.
 *   "allowPrivateHosts":["host",…] — with ssrfGuard, these exact host names
 *   may reach loopback/private addresses (never link-local or metadata).
     * stream=false: out {"status","headers":{lower-case name: value},"body"}.
     * stream=true: first one event {"type":"head","status":…,"headers":{…}}
     * as soon as the response head is read, then events {"type":"chunk",
     * "data":"…"} carrying the body as it arrives (chunked transfer decoded),
     * then out {"status","headers","bytes"}; a non-2xx status still streams
     * its body (after its head event, so callers can tell it apart). Errors: code "denied",
     * "timeout", "cancelled", "connect", "tls", "too_large", "protocol". */
    cowork_json_fn request;
    /* [any-thread] in: {"requestId"} — abort that request. */
    cowork_json_fn cancel;
} cowork_http_v1;

/* ------------------------------------------------------------- plugin -- */

/* Plugin instance. Created by the entry's `create`, destroyed by `destroy`.
 * Lifecycle calls come from the kernel's control thread [main], in order:
 * init → on_all_initialized → start → … → stop → destroy. Each returns
 * COWORK_OK or writes an error object to `err`. */
typedef struct cowork_plugin {
    uint32_t struct_size;
    void* self;
    /* Register what the plugin provides; do no I/O yet. */
    cowork_status (*init)(void* self, const cowork_sink* err);
    /* Every plugin is initialized (called in reverse order). */
    cowork_status (*on_all_initialized)(void* self, const cowork_sink* err);
    /* Begin I/O: listeners, connections, threads. */
    cowork_status (*start)(void* self, const cowork_sink* err);
    /* End I/O within deadline_ms; the kernel stops waiting after that and
     * marks the plugin Failed{stop}. [worker] for threading "any" plugins
     * (run on a helper thread so it can be abandoned), [main] for "main". */
    cowork_status (*stop)(void* self, uint32_t deadline_ms, const cowork_sink* err);
    void (*destroy)(void* self);
    /* [any-thread] An interface table by id ("cowork.tool-provider/1"), or
     * NULL. Lives until destroy. */
    const void* (*get_interface)(void* self, const char* id);
} cowork_plugin;

typedef struct cowork_plugin_entry {
    uint32_t struct_size;
    uint16_t abi_major; /* COWORK_ABI_MAJOR the plugin was built with */
    uint16_t abi_minor;
    const char* id;      /* must equal the manifest's id */
    const char* version; /* must equal the manifest's version */
    /* [main] Create the instance. On failure return non-OK and write an error. */
    cowork_status (*create)(const cowork_host* host, const cowork_plugin** out,
                            const cowork_sink* err);
} cowork_plugin_entry;

/* --------------------------------------------------------- interfaces -- */
/* Every slot is a cowork_json_fn, so the out-of-process relay can forward
 * any interface generically by (interface id, slot index). */

#define COWORK_IFACE_TOOL_PROVIDER "cowork.tool-provider/1"
typedef struct cowork_tool_provider_v1 {
    uint32_t struct_size;
    void* self;
    /* [any-thread] in: {} out: {"tools":[{"name","description","inputSchema",
     * "annotations":{"readOnly","concurrency","approval","sideEffects"}}]} */
    cowork_json_fn list_tools;
    /* [worker] in: {"callId","name","arguments":{…},"context":{"taskId","workspace",…}}
     * out: {"content":[{"type":"text","text":"…"}],"isError":false}; events: progress. */
    cowork_json_fn call_tool;
    /* [any-thread] in: {"callId"} — ask a running call to stop. */
    cowork_json_fn cancel;
} cowork_tool_provider_v1;

#define COWORK_IFACE_LLM "cowork.llm/1"
typedef struct cowork_llm_v1 {
    uint32_t struct_size;
    void* self;
    /* [any-thread] in: {} out: {"models":[{"id","contextWindow","pricing"}]} */
    cowork_json_fn list_models;
    /* [worker] in: {"requestId","model","messages","tools","maxTokens",…}
     * events: {"type":"text_delta"|"tool_call_delta"|…}; out: final message + usage. */
    cowork_json_fn complete;
    /* [any-thread] in: {"requestId"} */
    cowork_json_fn cancel;
} cowork_llm_v1;

#define COWORK_IFACE_CHANNEL "cowork.channel/1"
/* One channel plugin serves any number of *instances* (two Telegram bots, a
 * work and a personal mailbox), each named by a kernel-assigned "channelId"
 * (docs/channels.md). The kernel opens every enabled instance when the
 * plugin is running, closes it on disable/remove/stop, and closes then
 * reopens it when its config changes.
 *
 * Tables come in two sizes; struct_size tells them apart:
 *   - the first three slots (send, status, test) only: a single-instance
 *     plugin; the kernel never calls open/close and the "channelId" field is
 *     informative;
 *   - all five slots: the plugin keeps per-instance state keyed by
 *     "channelId" and must answer send/status/test for an id it was not
 *     opened with with code "not_found".
 *   - open/close returning COWORK_E_UNSUPPORTED also means single-instance
 *     (the C++ SDK's defaults do that).
 * Errors of send: the status says whether a retry can help. COWORK_E_INVALID,
 * COWORK_E_NOT_FOUND and COWORK_E_DENIED are permanent (bad chat id, message
 * refused, credentials revoked): the delivery is dead-lettered at once. Any
 * other status (COWORK_E_FAILED, COWORK_E_TIMEOUT…) is transient: retried. */
typedef struct cowork_channel_v1 {
    uint32_t struct_size;
    void* self;
    /* [worker] in: {"channelId","chatId","text","idempotencyKey"?,"replyTo"?,…}
     * out: {"messageId"}. A repeated idempotencyKey should not send twice. */
    cowork_json_fn send;
    /* [any-thread] in: {"channelId"} out: {"state":"connected|connecting|error","detail"}
     * Answer from memory: the kernel polls it about once a second. */
    cowork_json_fn status;
    /* [worker] in: {"channelId"} out: {"ok":bool,"detail"} — check credentials
     * and reachability without sending anything. */
    cowork_json_fn test;
    /* Appended slots (present when struct_size covers them). */
    /* [worker] in: {"channelId","config":{…},"secrets":{name:value}} out:
     * {"state","detail"}. Start serving the instance (connect, poll…). The
     * secret values are the instance's own, resolved by the kernel from the
     * secrets service: keep them in memory only, never log them. Opening an
     * id that is already open replaces it (close, then open). Return soon:
     * connect in the background and answer "connecting" meanwhile. */
    cowork_json_fn open;
    /* [worker] in: {"channelId"} out: {}. Stop serving it and forget its
     * secrets; closing an unknown id is not an error. */
    cowork_json_fn close;
} cowork_channel_v1;
/* The size of a table with only the first three slots (send, status, test). */
#define COWORK_CHANNEL_V1_BASE_SIZE (offsetof(cowork_channel_v1, open))
/* Inbound messages are published by the channel on the bus topic
 * "channel.inbound" with {"channelId","channel":"<plugin id>","chatId",
 * "sender","text","messageId"?,"ts"?,…}. */

#define COWORK_IFACE_MEMORY "cowork.memory/1"
typedef struct cowork_memory_v1 {
    uint32_t struct_size;
    void* self;
    cowork_json_fn remember; /* [worker] in: {"workspace","text","tags"} out: {"id"} */
    cowork_json_fn recall;   /* [worker] in: {"workspace","query","limit"} out: {"items":[…]} */
    cowork_json_fn forget;   /* [worker] in: {"id"} */
} cowork_memory_v1;

#define COWORK_IFACE_FRONTEND "cowork.frontend/1"
typedef struct cowork_frontend_v1 {
    uint32_t struct_size;
    void* self;
    /* [any-thread] in: {} out: {"listeners":[{"url","tls":false}],…} for doctor/status. */
    cowork_json_fn describe;
} cowork_frontend_v1;

#define COWORK_IFACE_METHODS "cowork.methods/1"
/* API methods a plugin contributes to the kernel's one method surface. The
 * manifest's "api" array declares each method (name, scope, sideEffect,
 * summary); names must start with a prefix the plugin owns and may not
 * shadow kernel methods. The kernel registers them when the plugin starts,
 * removes them when it stops, checks the caller's scope itself and only then
 * calls this slot. */
typedef struct cowork_methods_v1 {
    uint32_t struct_size;
    void* self;
    /* [worker] in: {"method":"mcp.list","params":{…},"caller":{"id","role","scopes":[…]}}
     * out: the method's result JSON; errors as {"code","message"}. */
    cowork_json_fn call;
} cowork_methods_v1;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* COWORK_ABI_H */
