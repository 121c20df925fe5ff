#include "process/relay.hpp"

namespace cowork::kernel::process {
namespace {

// Collects what a callee writes; forwards events as they come.
struct CollectingSink {
    std::string out;
    const Endpoint::EventFn* emit = nullptr;
    cowork_sink sink{};

    CollectingSink() {
        sink.ctx = this;
        sink.write = [](void* ctx, const char* data, size_t size) {
            static_cast<CollectingSink*>(ctx)->out.assign(data, size);
        };
        sink.event = [](void* ctx, const char* data, size_t size) {
            auto* self = static_cast<CollectingSink*>(ctx);
            if (self->emit && *self->emit) (*self->emit)(std::string_view(data, size));
        };
    }
};

}  // namespace

void write_to_sink(const cowork_sink* out, const std::string& text) {
    if (out && out->write) out->write(out->ctx, text.data(), text.size());
}

cowork_status write_failure(const Reply& reply, const cowork_sink* out) {
    write_to_sink(out, reply.error_json().dump(-1, ' ', false, Json::error_handler_t::replace));
    return reply.status == COWORK_OK ? COWORK_E_INTERNAL : reply.status;
}

Json serve_json_fn(cowork_json_fn fn, void* self, const std::string& in, const Endpoint::EventFn& emit) {
    if (!fn) throw RpcError(kRpcMethodNotFound, "slot not implemented");
    CollectingSink collector;
    collector.emit = &emit;
    const cowork_status status = fn(self, in.data(), in.size(), &collector.sink);
    return Json{{"status", status}, {"out", std::move(collector.out)}};
}

cowork_status relay_json_call(Endpoint& endpoint, const std::string& method, Json params, const char* in,
                              size_t in_size, const cowork_sink* out,
                              std::optional<std::chrono::milliseconds> timeout) {
    params["in"] = in ? std::string(in, in_size) : std::string();
    Endpoint::EventFn on_event;
    if (out && out->event)
        on_event = [out](std::string_view data) { out->event(out->ctx, data.data(), data.size()); };
    const Reply reply = endpoint.call(method, std::move(params), on_event, timeout);
    if (!reply.ok()) return write_failure(reply, out);
    const auto& result = reply.result;
    if (!result.is_object() || !result.contains("status") || !result["status"].is_number_integer())
        return write_failure(Reply{COWORK_E_INTERNAL, {}, "rpc.bad_reply", method + ": malformed answer"}, out);
    const std::string text = result.value("out", std::string());
    if (!text.empty()) write_to_sink(out, text);
    return result["status"].get<cowork_status>();
}

}  // namespace cowork::kernel::process
