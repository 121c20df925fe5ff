// kernel/plugins/plugin_record.hpp — one plugin's state machine.
//
//   Discovered → Read → Resolved → Loaded → Initialized → Running → Stopping → Stopped
//   plus Disabled{reason} and Failed{phase, reason}, both final.
//
// Every transition names the state it expects to leave; an illegal one is
// refused and reported, never applied. The error stays on the record so
// `cowork plugins list` can say what happened and where.
//
// One way out of Failed: reopen() (Failed → Loaded), used only by the
// manager's crash restart, which then walks Loaded → Initialized → Running
// again with a fresh instance.
#pragma once

#include "core/result.hpp"
#include "plugins/discovery.hpp"
#include "plugins/manifest.hpp"
#include "plugins/runtime.hpp"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

namespace cowork::kernel::plugins {

enum class State { Discovered, Read, Resolved, Loaded, Initialized, Running, Stopping, Stopped, Disabled, Failed };

std::string_view to_string(State s);
bool is_final(State s);
bool is_legal(State from, State to);

class PluginRecord {
public:
    explicit PluginRecord(Candidate where) : where_(std::move(where)) {}

    const std::string& id() const noexcept { return where_.id; }
    const Candidate& where() const noexcept { return where_; }
    State state() const noexcept { return state_; }
    const std::string& phase() const noexcept { return phase_; }    // set when Failed
    const std::string& reason() const noexcept { return reason_; }  // set when Disabled/Failed

    // Moves to `to` if that is legal from the current state.
    Status advance(State to);
    Status disable(std::string reason);
    // Failing a record that already failed keeps the first phase and reason
    // (the first report is the cause; later ones are its echoes, e.g. a
    // crash report and then the error of the call it interrupted).
    Status fail(std::string phase, std::string reason);
    // Replaces the verdict on a Failed record (fails it if it is not yet):
    // the manager's final word once crash restarts ran out.
    Status replace_failure(std::string phase, std::string reason);
    // Failed → Loaded, clearing phase and reason: a restart installed a
    // fresh instance. Refused from any other state.
    Status reopen();

    // Filled by the read step; absent when reading failed.
    std::optional<Manifest> manifest;
    // The live instance between Loaded and destroy. `owner` outlives `table`.
    Instance instance;
    // Set when a stop overran its deadline: the plugin may still be running
    // code on a helper thread, so it is never destroyed.
    bool abandoned = false;
    std::string verified_by;  // "sha256" | "signature by …"

    // --- crash restarts (the manager guards these with its mutex) ---
    // The host table the plugin was created with; a restart reuses it (the
    // kernel's host factory is asked once per plugin).
    const cowork_host* host = nullptr;
    // Set once start is called: from then on a crash report schedules a
    // restart (an earlier crash, in init, stays a plain failure).
    bool restartable = false;
    unsigned restarts = 0;       // successful restarts
    std::string last_crash;      // the most recent crash report, kept across restarts
    unsigned generation = 0;     // which instance a crash report is about
    unsigned crash_counted = 0;  // the generation whose death was already counted
    // Owners of instances a restart replaced: interface tables handed out
    // before the crash stay valid memory (their calls fail) until the
    // manager is destroyed.
    std::vector<std::shared_ptr<void>> retired;
    // Serializes driving this plugin's lifecycle between the main thread
    // and its restart thread. Never held together with the manager mutex
    // while waiting on anything but the plugin itself.
    std::mutex lifecycle;

private:
    Candidate where_;
    State state_ = State::Discovered;
    std::string phase_;
    std::string reason_;
};

}  // namespace cowork::kernel::plugins
