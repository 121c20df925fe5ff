#include "app/http_service.hpp"

#include "app/json_slot.hpp"
#include "net/base64.hpp"
#include "net/http_client.hpp"
#include "net/http_json.hpp"
#include "net/utf8.hpp"

namespace cowork::kernel::app {
namespace {

// The table's ctx: one client per plugin, guarded by that plugin's rights.
class HttpService {
public:
    HttpService(const plugins::Manifest& m, policy::PolicyEngine& policy)
        : plugin_id_(m.id), declared_(m.permissions), policy_(policy),
          client_(net::ClientOptions{.guard = [this](const net::Url& url) { return permitted(url); }}) {
        table_ = {sizeof(cowork_http_v1), this, &HttpService::request_slot, &HttpService::cancel_slot};
    }

    const cowork_http_v1* table() const { return &table_; }

private:
    Status permitted(const net::Url& url) const {
        const std::string target = url.host_port();
        const auto d = policy_.check_plugin_permission({plugin_id_, policy::PluginPermission::net_connect, target}, declared_);
        if (d.allowed()) return ok_status();
        std::string message = "plugin '" + plugin_id_ + "' may not connect to " + target + ": " + d.reason;
        if (d.layer != policy::Layer::manifest)
            message += " (the manifest declares it; a policy rule for net:connect must allow it)";
        return make_error(net::code::denied, message);
    }

    Result<Json> request(const Json& in, const cowork_sink* out) {
        auto call = net::http_call_from_json(in);
        if (!call) return call.error();
        net::ChunkFn on_chunk;
        net::Utf8Carry carry;
        if (call->stream) {
            on_chunk = [&](std::string_view bytes) { emit_chunk(out, *call, carry.feed(bytes), bytes); };
            // abi.h: status and headers before any chunk, so a caller can
            // tell an error body from content while it streams.
            call->request.on_head = [&](const net::HttpResponse& head) {
                emit(out, Json{{"type", "head"}, {"status", head.status}, {"headers", head.headers}});
            };
        }
        auto response = client_.fetch(call->request, on_chunk);
        if (!response) return response.error();
        if (call->stream && !call->response_base64) emit_text(out, carry.flush());
        return net::http_response_to_json(*response, *call);
    }

    static void emit_chunk(const cowork_sink* out, const net::JsonHttpCall& call, const std::string& text,
                           std::string_view raw) {
        if (call.response_base64) return emit(out, Json{{"type", "chunk"}, {"data", net::base64_encode(raw)}, {"base64", true}});
        emit_text(out, text);
    }
    static void emit_text(const cowork_sink* out, const std::string& text) {
        if (!text.empty()) emit(out, Json{{"type", "chunk"}, {"data", text}});
    }
    static void emit(const cowork_sink* out, const Json& event) {
        if (!out || !out->event) return;
        const std::string text = event.dump(-1, ' ', false, Json::error_handler_t::replace);
        out->event(out->ctx, text.data(), text.size());
    }

    Result<Json> cancel(const Json& in) {
        const std::string id = in.value("requestId", std::string());
        if (id.empty()) return make_error("invalid", "http.cancel needs {\"requestId\": \"…\"}");
        return Json{{"cancelled", client_.cancel(id)}};
    }

    static cowork_status request_slot(void* ctx, const char* in, size_t size, const cowork_sink* out) {
        auto* self = static_cast<HttpService*>(ctx);
        return run_json_handler([&](const Json& j) { return self->request(j, out); }, in, size, out);
    }
    static cowork_status cancel_slot(void* ctx, const char* in, size_t size, const cowork_sink* out) {
        auto* self = static_cast<HttpService*>(ctx);
        return run_json_handler([&](const Json& j) { return self->cancel(j); }, in, size, out);
    }

    const std::string plugin_id_;
    const plugins::Permissions declared_;
    policy::PolicyEngine& policy_;
    net::HttpClient client_;
    cowork_http_v1 table_{};
};

}  // namespace

void offer_http_service(HostTable& host, const plugins::Manifest& manifest, policy::PolicyEngine& policy) {
    auto service = std::make_shared<HttpService>(manifest, policy);
    host.offer(COWORK_SERVICE_HTTP, service->table(), service);
}

}  // namespace cowork::kernel::app
