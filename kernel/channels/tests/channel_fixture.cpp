#include "channel_fixture.hpp"

#include "channels/channel_repo.hpp"
#include "core/paths.hpp"
#include "secrets/backend.hpp"
#include "storage/kernel_schema.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cowork::kernel::channels::testing {

using namespace std::chrono_literals;

fs::path fixture_root() { return (executable_dir() / ".." / "fixtures" / "plugins").lexically_normal(); }
fs::path host_executable() { return (executable_dir() / ".." / "out" / "bin" / "cowork-plugin-host").lexically_normal(); }

Json payload_json(const bus::Event& e) {
    if (const auto* j = std::get_if<Json>(&e.payload)) return *j;
    return Json::parse(std::get<std::string>(e.payload), nullptr, false);
}

void StatusEvents::add(const Json& e) {
    {
        std::lock_guard lock(mutex_);
        events_.push_back(e);
    }
    cv_.notify_all();
}

std::vector<Json> StatusEvents::all() const {
    std::lock_guard lock(mutex_);
    return events_;
}

size_t StatusEvents::size() const {
    std::lock_guard lock(mutex_);
    return events_.size();
}

Json StatusEvents::wait_for(const std::string& channel_id, const std::string& state, size_t from) const {
    std::unique_lock lock(mutex_);
    Json found;
    cv_.wait_for(lock, 10s, [&] {
        for (size_t i = from; i < events_.size(); ++i)
            if (events_[i].value("channelId", "") == channel_id && events_[i].value("state", "") == state) {
                found = events_[i];
                return true;
            }
        return false;
    });
    return found;
}

World::World(const fs::path& dir, WorldOptions options) : dir_(dir) {
    pool_ = std::make_unique<asio::thread_pool>(2);
    bus_ = std::make_unique<bus::EventBus>(pool_->get_executor());
    bus_service_ = std::make_unique<bus::BusService>(*bus_);
    timers_ = std::make_unique<scheduler::TimerService>(pool_->get_executor());
    scheduler_ = std::make_unique<scheduler::SchedulerService>(*timers_);
    auto sub = bus_->subscribe("channel.status", [this](const bus::Event& e) { events_.add(payload_json(e)); });
    status_sub_ = std::move(sub).value();

    storage::Migrations migrations;
    (void)migrations.add(storage::kernel_migrations());
    (void)migrations.add(channel_migrations());
    db_ = std::move(storage::Database::open({.path = dir_ / "cowork.db"}, migrations)).value();
    secrets_ = std::make_unique<secrets::SecretStore>(secrets::MasterKey::random().value(),
                                                      std::make_shared<secrets::MemoryBackend>());

    const fs::path root = dir_ / "plugins";
    fs::create_directories(root);
    for (const auto& id : options.fixtures) fs::copy(fixture_root() / id, root / id, fs::copy_options::recursive);
    plugins::ManagerOptions mo;
    mo.roots = {{"extra", root}};
    mo.stop_deadline = 2000ms;
    mo.restart_backoff.initial = 50ms;
    mo.restart_backoff.max = 200ms;
    mo.restart_backoff.jitter = 0;
    mo.restart_backoff.max_restarts = options.max_restarts;
    process::ProcessOptions po;
    po.host_executable = host_executable();
    po.call_timeout = 10'000ms;
    inprocess_ = std::make_unique<plugins::InProcessRuntime>();
    process_ = std::make_unique<process::ProcessRuntime>(po);
    manager_ = std::make_unique<plugins::PluginManager>(
        std::move(mo), plugins::RuntimeMap{{"inprocess", inprocess_.get()}, {"process", process_.get()}},
        [this](const plugins::Manifest& m) -> Result<const cowork_host*> {
            auto& p = hosts_.emplace_back();
            p.id = m.id;
            p.world = this;
            p.host = {sizeof(cowork_host), COWORK_ABI_MAJOR, COWORK_ABI_MINOR, &p, p.id.c_str(), dir_.c_str(),
                      &World::get_service};
            manifests_[m.id] = m;
            return static_cast<const cowork_host*>(&p.host);
        });
    manager_->start_all();

    plugins_ = std::make_unique<ManagerChannelPlugins>(*manager_, [this](const std::string& id) -> std::optional<plugins::Manifest> {
        auto it = manifests_.find(id);
        if (it == manifests_.end()) return std::nullopt;
        return it->second;
    });
    repo_ = std::make_unique<ChannelRepo>(*db_);
    RegistryOptions ro;
    ro.active = options.active;
    ro.watch_period = 0ms;
    ro.reopen_after = 0ms;
    registry_ = std::make_unique<ChannelRegistry>(RegistryDeps{*repo_, *plugins_, secrets_.get(), "", bus_.get()}, ro);
    registry_->start();
}

World::~World() {
    registry_->stop();
    manager_->stop();
    for (const auto& [id, m] : manifests_) {
        bus_service_->drop_owner(id);
        scheduler_->drop_owner(id);
    }
    status_sub_.unsubscribe();
    registry_.reset();
    manager_.reset();
    pool_->join();
    db_->close();
}

const void* World::get_service(void* ctx, const char* id) {
    auto* p = static_cast<PerPlugin*>(ctx);
    const std::string which(id);
    if (which == COWORK_SERVICE_LOG) return &p->world->log_;
    if (which == COWORK_SERVICE_BUS) return p->world->bus_service_->table_for(p->id);
    if (which == COWORK_SERVICE_SCHEDULER) return p->world->scheduler_->table_for(p->id);
    return nullptr;
}

void World::log(void*, int32_t, const char*, size_t) {}

std::vector<Json> World::delivered(const fs::path& file) const {
    std::vector<Json> out;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(Json::parse(line));
    return out;
}

ChannelInstance World::create(const std::string& name, Json config, std::map<std::string, std::string> secrets,
                              const std::string& plugin) {
    NewChannel req;
    req.plugin = plugin;
    req.name = name;
    req.config = std::move(config);
    req.secrets = std::move(secrets);
    auto created = registry_->create(req);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
    return created.ok() ? *created : ChannelInstance{};
}

}  // namespace cowork::kernel::channels::testing
