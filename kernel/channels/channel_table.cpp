#include "channels/channel_table.hpp"

#include "core/redactor.hpp"

#include <cowork/sdk/error.hpp>
#include <cowork/sdk/sink.hpp>

#include <cstddef>

namespace cowork::kernel::channels {

bool is_permanent(cowork_status status) {
    return status == COWORK_E_INVALID || status == COWORK_E_NOT_FOUND || status == COWORK_E_DENIED;
}

bool ChannelTable::has_instances() const {
    return t_->struct_size >= sizeof(cowork_channel_v1) && t_->open && t_->close;
}

Result<Json> ChannelTable::send(const Json& in) const { return call(t_->send, "send", in); }
Result<Json> ChannelTable::status(const Json& in) const { return call(t_->status, "status", in); }
Result<Json> ChannelTable::test(const Json& in) const { return call(t_->test, "test", in); }

Result<Json> ChannelTable::open(const Json& in) const {
    if (!has_instances()) return make_error(kUnsupported, plugin_ + " serves a single instance");
    return call(t_->open, "open", in);
}

Result<Json> ChannelTable::close(const Json& in) const {
    if (!has_instances()) return make_error(kUnsupported, plugin_ + " serves a single instance");
    return call(t_->close, "close", in);
}

Result<Json> ChannelTable::call(cowork_json_fn fn, const char* what, const Json& in) const {
    if (!fn) return make_error(kUnsupported, plugin_ + " has no " + what);
    sdk::Collector out;
    const std::string text = in.dump();
    const cowork_status st = fn(t_->self, text.data(), text.size(), out.sink());
    const Json result = out.json();
    if (st == COWORK_OK) return result.is_discarded() ? Json::object() : result;
    if (st == COWORK_E_UNSUPPORTED) return make_error(kUnsupported, plugin_ + " does not support " + what);
    std::string message = result.is_object() ? result.value("message", "") : "";
    if (message.empty()) message = std::string(what) + " failed (" + sdk::status_name(st) + ")";
    return make_error(result.is_object() ? result.value("code", sdk::status_name(st)) : sdk::status_name(st),
                      Redactor::instance().redact(plugin_ + ": " + message),
                      {{"status", sdk::status_name(st)}, {"permanent", is_permanent(st)}});
}

}  // namespace cowork::kernel::channels
