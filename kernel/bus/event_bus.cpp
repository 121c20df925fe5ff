// kernel/bus/event_bus.cpp
#include "bus/event_bus.hpp"

#include "bus/bus_core.hpp"

namespace cowork::kernel::bus {

Subscription::Subscription(Subscription&& other) noexcept
    : core_(std::move(other.core_)), id_(std::exchange(other.id_, 0)) {}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
    if (this != &other) {
        unsubscribe();
        core_ = std::move(other.core_);
        id_ = std::exchange(other.id_, 0);
    }
    return *this;
}

Subscription::~Subscription() { unsubscribe(); }

void Subscription::unsubscribe() {
    if (id_ == 0) return;
    if (auto core = core_.lock()) core->unsubscribe(id_);
    id_ = 0;
    core_.reset();
}

EventBus::EventBus(BusOptions options)
    : own_pool_(std::make_unique<asio::thread_pool>(std::max<size_t>(options.threads, 1))),
      core_(std::make_shared<detail::BusCore>(own_pool_->get_executor(), options)) {}

EventBus::EventBus(asio::any_io_executor executor, BusOptions options)
    : core_(std::make_shared<detail::BusCore>(std::move(executor), options)) {}

EventBus::~EventBus() {
    core_->close_all();
    if (own_pool_) own_pool_->join();
}

Status EventBus::publish(std::string_view topic, Payload payload) {
    return core_->publish(topic, std::move(payload));
}

Result<Subscription> EventBus::subscribe(std::string_view pattern, Handler handler, SubscribeOptions options) {
    auto id = core_->subscribe(pattern, std::move(handler), std::move(options));
    if (!id) return id.error();
    return Subscription(core_, *id);
}

std::vector<SubscriberStats> EventBus::subscriber_stats() const { return core_->subscriber_stats(); }
Json EventBus::stats() const { return core_->stats(); }
uint64_t EventBus::last_sequence() const { return core_->last_sequence(); }

}  // namespace cowork::kernel::bus
