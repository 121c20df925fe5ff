// kernel/bus/bus_core.cpp
#include "bus/bus_core.hpp"

#include <algorithm>

namespace cowork::kernel::bus::detail {

BusCore::BusCore(asio::any_io_executor executor, BusOptions options)
    : executor_(std::move(executor)), options_(options) {}

std::shared_ptr<const BusCore::SubscriberList> BusCore::snapshot() const {
    std::lock_guard lock(mutex_);
    return subscribers_;
}

Status BusCore::publish(std::string_view topic, Payload payload) {
    if (auto st = validate_topic(topic); !st) return st;
    size_t size = payload_size(payload);
    if (size > options_.max_payload_bytes) {
        ++refused_;
        return make_error("bus.payload_too_large",
                          "payload of " + std::to_string(size) + " bytes on '" + std::string(topic) +
                              "' exceeds the bus limit of " + std::to_string(options_.max_payload_bytes) +
                              " bytes; publish a reference (an id or a path) instead",
                          Json{{"topic", topic}, {"size", size}, {"limit", options_.max_payload_bytes}});
    }
    auto event = std::make_shared<Event>();
    event->topic = std::string(topic);
    event->payload = std::move(payload);
    event->sequence = ++sequence_;
    event->timestamp = std::chrono::system_clock::now();
    ++published_;
    return deliver(event);
}

Status BusCore::deliver(const std::shared_ptr<const Event>& event) {
    Json stuck = Json::array();
    bool self_deadlock = false;
    auto list = snapshot();
    for (const auto& subscriber : *list) {
        if (!subscriber->matches(event->topic)) continue;
        auto outcome = subscriber->offer(event, options_.lossless_max_wait);
        if (outcome == Subscriber::Offer::TimedOut || outcome == Subscriber::Offer::WouldDeadlock) {
            stuck.push_back(subscriber->id());
            self_deadlock = self_deadlock || outcome == Subscriber::Offer::WouldDeadlock;
        }
    }
    if (stuck.empty()) return ok_status();
    if (self_deadlock)
        return make_error("bus.would_deadlock",
                          "a lossless subscriber published '" + event->topic +
                              "' to its own full queue from its handler; it was not queued for it",
                          Json{{"topic", event->topic}, {"subscribers", stuck}});
    return make_error("bus.publish_timeout",
                      "lossless subscriber(s) stayed full for " +
                          std::to_string(options_.lossless_max_wait.count()) + " ms; '" + event->topic +
                          "' was not queued for them (all others received it)",
                      Json{{"topic", event->topic}, {"subscribers", stuck}});
}

Result<uint64_t> BusCore::subscribe(std::string_view pattern, Handler handler, SubscribeOptions options) {
    auto parsed = TopicPattern::parse(pattern);
    if (!parsed) return parsed.error();
    if (!handler) return make_error("bus.invalid_handler", "subscribe needs a handler");
    options.capacity = std::max<size_t>(options.capacity, 1);
    std::lock_guard lock(mutex_);
    uint64_t id = next_id_++;
    auto subscriber = std::make_shared<Subscriber>(id, std::move(parsed.value()), std::move(handler),
                                                   std::move(options), executor_);
    auto next = std::make_shared<SubscriberList>(*subscribers_);
    next->push_back(std::move(subscriber));
    subscribers_ = std::move(next);
    return id;
}

void BusCore::unsubscribe(uint64_t id) {
    std::shared_ptr<Subscriber> removed;
    {
        std::lock_guard lock(mutex_);
        auto next = std::make_shared<SubscriberList>(*subscribers_);
        auto it = std::find_if(next->begin(), next->end(), [&](const auto& s) { return s->id() == id; });
        if (it == next->end()) return;
        removed = *it;
        next->erase(it);
        subscribers_ = std::move(next);
    }
    removed->close();  // outside the lock: it may wait for the handler
}

void BusCore::close_all() {
    std::shared_ptr<const SubscriberList> all;
    {
        std::lock_guard lock(mutex_);
        all = std::exchange(subscribers_, std::make_shared<SubscriberList>());
    }
    for (const auto& subscriber : *all) subscriber->close();
}

std::vector<SubscriberStats> BusCore::subscriber_stats() const {
    std::vector<SubscriberStats> out;
    for (const auto& subscriber : *snapshot()) out.push_back(subscriber->stats());
    return out;
}

Json BusCore::stats() const {
    Json subscribers = Json::array();
    for (const auto& s : subscriber_stats()) subscribers.push_back(s.to_json());
    return Json{{"published", published_.load()},
                {"refused_oversize", refused_.load()},
                {"sequence", sequence_.load()},
                {"max_payload_bytes", options_.max_payload_bytes},
                {"lossless_max_wait_ms", options_.lossless_max_wait.count()},
                {"subscribers", std::move(subscribers)}};
}

}  // namespace cowork::kernel::bus::detail
