// kernel/plugins/plugin_record.hpp — one plugin's state machine.
//
//   Discovered → Read → Resolved → Loaded → Initialized → Running → Stopping → Stopped
//   plus Disabled{reason} and Failed{phase, reason}, both final.
//
// Every transition names the state it expects to leave; an illegal one is
// refused and reported, never applied. The error stays on the record so
// `cowork plugins list` can say what happened and where.
#pragma once

#include "core/result.hpp"
#include "plugins/discovery.hpp"
#include "plugins/manifest.hpp"
#include "plugins/runtime.hpp"

#include <optional>
#include <string>
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
    Status fail(std::string phase, std::string reason);

    // Filled by the read step; absent when reading failed.
    std::optional<Manifest> manifest;
    // The live instance between Loaded and destroy. `owner` outlives `table`.
    Instance instance;
    // Set when a stop overran its deadline: the plugin may still be running
    // code on a helper thread, so it is never destroyed.
    bool abandoned = false;
    std::string verified_by;  // "sha256" | "signature by …"

private:
    Candidate where_;
    State state_ = State::Discovered;
    std::string phase_;
    std::string reason_;
};

}  // namespace cowork::kernel::plugins
