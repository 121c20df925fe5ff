#include "process/endpoint.hpp"

#include "process/executor.hpp"

#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace cowork::kernel::process {
namespace {

// One outgoing call waiting for its answer.
struct PendingCall {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::string> events;
    bool done = false;
    Reply reply;
};

cowork_status status_for_rpc_error(int code) {
    switch (code) {
    case kRpcMethodNotFound: return COWORK_E_UNSUPPORTED;
    case kRpcInvalidParams: return COWORK_E_INVALID;
    default: return COWORK_E_INTERNAL;
    }
}

std::string dump(const Json& message) {
    // Plugins may hand us invalid UTF-8; replace it rather than throw.
    return message.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool is_id(const Json& value) { return value.is_number_unsigned(); }

}  // namespace

class Endpoint::Core : public std::enable_shared_from_this<Core> {
public:
    Core(int fd, Handlers handlers, Options options)
        : fd_(fd), handlers_(std::move(handlers)), options_(std::move(options)), pool_(options_.max_workers) {
        if (options_.send_timeout.count() > 0) {
            timeval tv{};
            tv.tv_sec = static_cast<time_t>(options_.send_timeout.count() / 1000);
            tv.tv_usec = static_cast<suseconds_t>((options_.send_timeout.count() % 1000) * 1000);
            ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        }
    }
    ~Core() { shutdown(); }

    void start() {
        std::lock_guard lock(mutex_);
        if (started_ || closing_) return;
        started_ = true;
        reader_ = std::thread([self = shared_from_this()] { self->read_loop(); });
    }

    Reply call(const std::string& method, Json params, const EventFn& on_event,
               std::optional<std::chrono::milliseconds> timeout) {
        auto pending = std::make_shared<PendingCall>();
        uint64_t id = 0;
        {
            std::lock_guard lock(mutex_);
            if (closed_) return closed_reply();
            id = next_id_++;
            pending_[id] = pending;
        }
        const std::string text = dump(Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
        if (text.size() > options_.max_frame) {
            forget(id);
            return Reply{COWORK_E_INVALID, {}, "rpc.too_large", method + ": request exceeds the frame cap"};
        }
        send_text(text);  // on failure the link ends and the reader fails this call with the reason
        return wait_for(id, *pending, method, on_event, timeout);
    }

    bool notify(const std::string& method, Json params) {
        if (closed()) return false;
        return send_text(dump(Json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}}));
    }

    bool closed() const {
        std::lock_guard lock(mutex_);
        return closed_;
    }

    std::string wait_closed() const {
        std::unique_lock lock(mutex_);
        closed_cv_.wait(lock, [this] { return closed_; });
        return close_reason_;
    }

    // Ends the link and releases the threads; idempotent, callable from any
    // of our own threads.
    void shutdown() {
        bool was_started = false;
        {
            std::lock_guard lock(mutex_);
            if (shut_down_) return;
            shut_down_ = true;
            closing_ = true;
            was_started = started_;
        }
        ::shutdown(fd_, SHUT_RDWR);
        if (was_started)
            join_or_detach(reader_);
        else
            finish(CloseCause{CloseCause::Kind::Local, "closed before start"});
        pool_.stop();
        serial_.stop();
        std::lock_guard lock(write_mutex_);
        ::close(fd_);
        fd_ = -1;
    }

private:
    Reply closed_reply() const { return Reply{COWORK_E_FAILED, {}, options_.closed_code, close_reason_}; }

    void forget(uint64_t id) {
        std::lock_guard lock(mutex_);
        pending_.erase(id);
    }

    Reply wait_for(uint64_t id, PendingCall& pending, const std::string& method, const EventFn& on_event,
                   std::optional<std::chrono::milliseconds> timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout.value_or(std::chrono::milliseconds(0));
        std::unique_lock lock(pending.mutex);
        for (;;) {
            // Events first: they were sent before the result.
            while (!pending.events.empty()) {
                std::string event = std::move(pending.events.front());
                pending.events.pop_front();
                lock.unlock();
                if (on_event) on_event(event);
                lock.lock();
            }
            if (pending.done) return std::move(pending.reply);
            if (!timeout) {
                pending.wake.wait(lock);
            } else if (pending.wake.wait_until(lock, deadline) == std::cv_status::timeout && !pending.done &&
                       pending.events.empty()) {
                forget(id);  // a late answer is dropped as unknown
                return Reply{COWORK_E_TIMEOUT, {}, options_.timeout_code,
                             options_.peer_name + " did not answer " + method + " within " +
                                 std::to_string(timeout->count()) + " ms"};
            }
        }
    }

    // A failed write may have left half a frame on the wire: the stream is
    // unusable, so end the link (the reader then reports why).
    bool send_text(const std::string& text) {
        std::lock_guard lock(write_mutex_);
        if (fd_ < 0) return false;
        if (write_frame(fd_, text, options_.max_frame)) return true;
        ::shutdown(fd_, SHUT_RDWR);
        return false;
    }

    void read_loop() {
        for (;;) {
            FrameRead frame = read_frame(fd_, options_.max_frame);
            if (frame.kind == FrameRead::Kind::Eof) return finish({CloseCause::Kind::PeerClosed, "connection closed"});
            if (frame.kind != FrameRead::Kind::Frame) return finish({CloseCause::Kind::Protocol, frame.detail});
            Json message = Json::parse(frame.payload, nullptr, false);
            if (message.is_discarded() || !message.is_object())
                return finish({CloseCause::Kind::Protocol, "received a frame that is not a JSON object"});
            if (!dispatch(message))
                return finish({CloseCause::Kind::Protocol, "received a message that is not JSON-RPC"});
        }
    }

    // False if the message is none of request, response, notification.
    bool dispatch(Json& message) {
        const auto method = message.find("method");
        const auto id = message.find("id");
        if (method != message.end()) {
            if (!method->is_string()) return false;
            Json params = message.contains("params") ? std::move(message["params"]) : Json::object();
            if (id == message.end()) return on_notification(method->get<std::string>(), std::move(params));
            if (!is_id(*id)) return false;
            on_request(id->get<uint64_t>(), method->get<std::string>(), std::move(params));
            return true;
        }
        if (id == message.end() || !is_id(*id)) return false;
        on_response(id->get<uint64_t>(), message);
        return true;
    }

    void on_request(uint64_t id, std::string method, Json params) {
        pool_.post([self = shared_from_this(), id, method = std::move(method), params = std::move(params)] {
            self->serve(id, method, params);
        });
    }

    void serve(uint64_t id, const std::string& method, const Json& params) {
        const EventFn emit = [this, id](std::string_view data) {
            notify("event", Json{{"id", id}, {"data", std::string(data)}});
        };
        Json answer{{"jsonrpc", "2.0"}, {"id", id}};
        try {
            if (!handlers_.on_request) throw RpcError(kRpcMethodNotFound, "no method " + method);
            answer["result"] = handlers_.on_request(method, params, emit);
        } catch (const RpcError& e) {
            answer["error"] = Json{{"code", e.code()}, {"message", e.what()}};
        } catch (const std::exception& e) {
            answer["error"] = Json{{"code", kRpcInternal}, {"message", e.what()}};
        } catch (...) {
            answer["error"] = Json{{"code", kRpcInternal}, {"message", "unknown exception"}};
        }
        std::string text = dump(answer);
        if (text.size() > options_.max_frame)
            text = dump(Json{{"jsonrpc", "2.0"},
                             {"id", id},
                             {"error", {{"code", kRpcInternal}, {"message", method + ": result exceeds the frame cap"}}}});
        send_text(text);
    }

    bool on_notification(const std::string& method, Json params) {
        if (method == "event") return on_event(params);
        serial_.post([self = shared_from_this(), method, params = std::move(params)] {
            try {
                if (self->handlers_.on_notification) self->handlers_.on_notification(method, params);
            } catch (...) {
                // A failing notification handler must not end the link.
            }
        });
        return true;
    }

    bool on_event(const Json& params) {
        if (!params.is_object() || !params.contains("id") || !is_id(params["id"])) return false;
        const auto pending = find(params["id"].get<uint64_t>(), /*erase=*/false);
        if (!pending) return true;  // the call already timed out
        std::lock_guard lock(pending->mutex);
        const auto data = params.find("data");
        pending->events.push_back(data != params.end() && data->is_string() ? data->get<std::string>() : std::string("{}"));
        pending->wake.notify_all();
        return true;
    }

    void on_response(uint64_t id, const Json& message) {
        const auto pending = find(id, /*erase=*/true);
        if (!pending) return;  // late answer to a timed-out call
        Reply reply;
        if (const auto error = message.find("error"); error != message.end()) {
            const int code = error->is_object() ? error->value("code", kRpcInternal) : kRpcInternal;
            reply.status = status_for_rpc_error(code);
            reply.code = "rpc.error";
            reply.message = error->is_object() ? error->value("message", "peer error") : "peer error";
        } else {
            reply.result = message.value("result", Json());
        }
        complete(*pending, std::move(reply));
    }

    std::shared_ptr<PendingCall> find(uint64_t id, bool erase) {
        std::lock_guard lock(mutex_);
        const auto it = pending_.find(id);
        if (it == pending_.end()) return nullptr;
        auto pending = it->second;
        if (erase) pending_.erase(it);
        return pending;
    }

    static void complete(PendingCall& pending, Reply reply) {
        std::lock_guard lock(pending.mutex);
        pending.reply = std::move(reply);
        pending.done = true;
        pending.wake.notify_all();
    }

    // Runs once, on the reader thread (or in shutdown() if never started).
    void finish(CloseCause cause) {
        {
            std::lock_guard lock(mutex_);
            if (closing_ && cause.kind == CloseCause::Kind::PeerClosed) cause.kind = CloseCause::Kind::Local;
        }
        std::string reason = cause.detail;
        if (handlers_.explain_close) reason = handlers_.explain_close(cause);
        std::unordered_map<uint64_t, std::shared_ptr<PendingCall>> orphans;
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
            close_reason_ = reason;
            orphans.swap(pending_);
        }
        for (auto& [id, pending] : orphans) complete(*pending, closed_reply());
        closed_cv_.notify_all();
        if (handlers_.on_closed) handlers_.on_closed(reason);
    }

    int fd_;
    const Handlers handlers_;
    const Options options_;
    std::mutex write_mutex_;
    mutable std::mutex mutex_;
    mutable std::condition_variable closed_cv_;
    std::unordered_map<uint64_t, std::shared_ptr<PendingCall>> pending_;
    uint64_t next_id_ = 1;
    bool started_ = false;
    bool closing_ = false;
    bool shut_down_ = false;
    bool closed_ = false;
    std::string close_reason_;
    std::thread reader_;
    WorkerPool pool_;
    SerialQueue serial_;
};

Endpoint::Endpoint(int fd, Handlers handlers, Options options)
    : core_(std::make_shared<Core>(fd, std::move(handlers), std::move(options))) {}

Endpoint::~Endpoint() { core_->shutdown(); }

void Endpoint::start() { core_->start(); }

Reply Endpoint::call(const std::string& method, Json params, const EventFn& on_event,
                     std::optional<std::chrono::milliseconds> timeout) {
    return core_->call(method, std::move(params), on_event, timeout);
}

bool Endpoint::notify(const std::string& method, Json params) { return core_->notify(method, std::move(params)); }

void Endpoint::close() { core_->shutdown(); }

bool Endpoint::closed() const { return core_->closed(); }

std::string Endpoint::wait_closed() const { return core_->wait_closed(); }

}  // namespace cowork::kernel::process
