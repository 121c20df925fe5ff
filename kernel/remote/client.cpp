#include "remote/client.hpp"

namespace cowork::kernel::remote {
namespace {

// Events nobody waits for (a CLI that only lists tasks) must not pile up.
constexpr size_t kMaxQueuedEvents = 10000;

}  // namespace

Result<std::unique_ptr<Client>> Client::open(const Endpoint& endpoint, std::chrono::milliseconds timeout) {
    std::unique_ptr<Client> c(new Client());
    Client* self = c.get();
    auto transport = WsTransport::open(
        endpoint, [self](std::string text) { self->on_message(text); },
        [self](int code, const std::string& reason) { self->on_closed(code, reason); }, timeout);
    if (!transport) return transport.error();
    c->transport_ = std::move(*transport);
    std::unique_lock lock(c->mutex_);
    c->cv_.wait_for(lock, timeout, [&] { return !c->challenge_.is_null() || c->closed_; });
    if (c->challenge_.is_null())
        return make_error("unavailable", "coworkd accepted the connection but sent no challenge (" +
                                             (c->closed_ ? "closed: " + c->close_description() : "timed out") + ")");
    return c;
}

Client::~Client() {
    if (transport_) transport_->close();  // joins the I/O thread before our members go
}

void Client::on_message(const std::string& text) {
    Json f = Json::parse(text, nullptr, false);
    if (!f.is_object()) return;
    std::lock_guard lock(mutex_);
    const std::string type = f.value("type", "");
    if (type == "res") {
        const Json& id = f["id"];
        responses_[id.is_string() ? id.get<std::string>() : id.dump()] = std::move(f);
    } else if (type == "event") {
        Event e{f.value("event", ""), f.value("payload", Json::object()), f.value("seq", uint64_t{0})};
        if (e.name == "connect.challenge") challenge_ = e.payload;
        else {
            if (events_.size() >= kMaxQueuedEvents) events_.pop_front();
            events_.push_back(std::move(e));
        }
    }
    cv_.notify_all();
}

void Client::on_closed(int code, const std::string& reason) {
    std::lock_guard lock(mutex_);
    closed_ = true;
    close_code_ = code;
    close_reason_ = reason;
    cv_.notify_all();
}

bool Client::closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
}

std::string Client::close_description() const {
    if (close_code_ == 0) return "the connection dropped";
    return "code " + std::to_string(close_code_) + (close_reason_.empty() ? "" : ": " + close_reason_);
}

Result<Json> Client::call(const std::string& method, const Json& params, const std::string& idempotency_key) {
    std::string id;
    {
        std::lock_guard lock(mutex_);
        if (closed_) return make_error("unavailable", "the connection to coworkd is closed (" + close_description() + ")");
        id = "c" + std::to_string(next_id_++);
    }
    Json frame{{"type", "req"}, {"id", id}, {"method", method}, {"params", params}};
    if (!idempotency_key.empty()) frame["idempotencyKey"] = idempotency_key;
    if (auto st = transport_->send(frame.dump(-1, ' ', false, Json::error_handler_t::replace)); !st) return st.error();
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return responses_.count(id) || closed_; });
    auto it = responses_.find(id);
    if (it == responses_.end())
        return make_error("unavailable", "coworkd closed the connection before answering " + method + " (" +
                                             close_description() + ")");
    Json res = std::move(it->second);
    responses_.erase(it);
    if (res.value("ok", false)) return res.value("payload", Json());
    const Json& e = res["error"];
    return make_error(e.value("code", "INTERNAL_ERROR"), e.value("message", "coworkd returned an error without a message"),
                      e.value("details", Json::object()).is_object() ? e.value("details", Json::object()) : Json::object());
}

std::vector<Event> Client::wait_events(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return !events_.empty() || closed_; });
    std::vector<Event> out(std::make_move_iterator(events_.begin()), std::make_move_iterator(events_.end()));
    events_.clear();
    return out;
}

}  // namespace cowork::kernel::remote
