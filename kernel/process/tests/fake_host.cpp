#include "fake_host.hpp"

#include <cstring>

namespace cowork::kernel::process::testing {
namespace {

void write(const cowork_sink* out, const Json& value) {
    const std::string text = value.dump();
    if (out && out->write) out->write(out->ctx, text.data(), text.size());
}

}  // namespace

FakeHost::FakeHost(std::string plugin_id, Json config) : plugin_id_(std::move(plugin_id)), config_(std::move(config)) {
    host_ = {sizeof host_, COWORK_ABI_MAJOR, COWORK_ABI_MINOR, this, plugin_id_.c_str(), "/tmp", &FakeHost::get_service};
    log_ = {sizeof log_, this, &FakeHost::log};
    bus_ = {sizeof bus_, this, &FakeHost::bus_publish, &FakeHost::subscribe, &FakeHost::unsubscribe};
    storage_ = {sizeof storage_, this, &FakeHost::migrate, &FakeHost::exec};
    configs_ = {sizeof configs_, this, &FakeHost::config_get};
    scheduler_ = {sizeof scheduler_, this, &FakeHost::add_timer, &FakeHost::cancel};
}

FakeHost::~FakeHost() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        for (auto& [token, state] : timers_) state->cancelled = true;
    }
    timer_wake_.notify_all();
    for (auto& t : timer_threads_) t.join();
}

const void* FakeHost::get_service(void* ctx, const char* id) {
    auto& self = of(ctx);
    const std::string_view name(id);
    if (name == COWORK_SERVICE_LOG) return &self.log_;
    if (name == COWORK_SERVICE_BUS) return &self.bus_;
    if (name == COWORK_SERVICE_STORAGE) return &self.storage_;
    if (name == COWORK_SERVICE_CONFIG) return &self.configs_;
    if (name == COWORK_SERVICE_SCHEDULER) return &self.scheduler_;
    return nullptr;  // secrets, api, policy: not offered (the child must see NULL)
}

void FakeHost::log(void* ctx, int32_t, const char* msg, size_t size) {
    auto& self = of(ctx);
    std::lock_guard lock(self.mutex_);
    self.logs_.emplace_back(msg, size);
}

cowork_status FakeHost::bus_publish(void* ctx, const char* topic, const char* payload, size_t size) {
    of(ctx).publish(topic, std::string(payload, size));
    return COWORK_OK;
}

void FakeHost::publish(const std::string& topic, const std::string& payload) {
    std::vector<Sub> targets;
    {
        std::lock_guard lock(mutex_);
        published_.emplace_back(topic, payload);
        for (auto& [token, sub] : subs_)
            if (sub.pattern == topic) targets.push_back(sub);
    }
    for (auto& sub : targets) sub.handler(sub.user, topic.c_str(), payload.data(), payload.size());
}

uint64_t FakeHost::subscribe(void* ctx, const char* pattern, cowork_bus_handler handler, void* user) {
    auto& self = of(ctx);
    std::lock_guard lock(self.mutex_);
    const uint64_t token = self.next_token_++;
    self.subs_[token] = Sub{pattern, handler, user};
    return token;
}

void FakeHost::unsubscribe(void* ctx, uint64_t token) {
    auto& self = of(ctx);
    std::lock_guard lock(self.mutex_);
    self.subs_.erase(token);
}

cowork_status FakeHost::migrate(void* ctx, const char* in, size_t size, const cowork_sink* out) {
    auto& self = of(ctx);
    const Json request = Json::parse(in, in + size);
    std::lock_guard lock(self.mutex_);
    for (const auto& m : request.at("migrations")) self.sql_.push_back(m.at("sql").get<std::string>());
    write(out, Json::object());
    return COWORK_OK;
}

cowork_status FakeHost::exec(void* ctx, const char* in, size_t size, const cowork_sink* out) {
    auto& self = of(ctx);
    const Json request = Json::parse(in, in + size);
    {
        std::lock_guard lock(self.mutex_);
        self.sql_.push_back(request.at("sql").get<std::string>());
    }
    write(out, Json{{"rows", Json::array()}, {"changes", 1}});
    return COWORK_OK;
}

cowork_status FakeHost::config_get(void* ctx, const char*, size_t, const cowork_sink* out) {
    write(out, of(ctx).config_);
    return COWORK_OK;
}

uint64_t FakeHost::add_timer(void* ctx, uint64_t delay_ms, uint64_t, cowork_timer_fn fn, void* user) {
    auto& self = of(ctx);
    std::lock_guard lock(self.mutex_);
    const uint64_t token = self.next_token_++;
    auto state = std::make_shared<TimerState>();
    self.timers_[token] = state;
    self.timer_threads_.emplace_back([&self, state, delay_ms, fn, user] {
        std::unique_lock lock(self.mutex_);
        self.timer_wake_.wait_for(lock, std::chrono::milliseconds(delay_ms), [&] { return state->cancelled; });
        if (state->cancelled) return;
        lock.unlock();
        fn(user);  // one shot is all the fixtures need
    });
    return token;
}

void FakeHost::cancel(void* ctx, uint64_t token) {
    auto& self = of(ctx);
    {
        std::lock_guard lock(self.mutex_);
        if (auto it = self.timers_.find(token); it != self.timers_.end()) it->second->cancelled = true;
        self.timers_.erase(token);
    }
    self.timer_wake_.notify_all();
}

std::vector<std::string> FakeHost::logs() const {
    std::lock_guard lock(mutex_);
    return logs_;
}
std::vector<std::string> FakeHost::sql() const {
    std::lock_guard lock(mutex_);
    return sql_;
}
std::vector<std::pair<std::string, std::string>> FakeHost::published() const {
    std::lock_guard lock(mutex_);
    return published_;
}
size_t FakeHost::subscriptions() const {
    std::lock_guard lock(mutex_);
    return subs_.size();
}
size_t FakeHost::timers() const {
    std::lock_guard lock(mutex_);
    return timers_.size();
}

bool FakeHost::wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return condition();
}

}  // namespace cowork::kernel::process::testing
