#include "plugins/plugin_record.hpp"

namespace cowork::kernel::plugins {

std::string_view to_string(State s) {
    switch (s) {
    case State::Discovered: return "Discovered";
    case State::Read: return "Read";
    case State::Resolved: return "Resolved";
    case State::Loaded: return "Loaded";
    case State::Initialized: return "Initialized";
    case State::Running: return "Running";
    case State::Stopping: return "Stopping";
    case State::Stopped: return "Stopped";
    case State::Disabled: return "Disabled";
    case State::Failed: return "Failed";
    }
    return "?";
}

bool is_final(State s) { return s == State::Stopped || s == State::Disabled || s == State::Failed; }

bool is_legal(State from, State to) {
    if (is_final(from)) return false;
    switch (to) {
    case State::Read: return from == State::Discovered;
    case State::Resolved: return from == State::Read;
    case State::Loaded: return from == State::Resolved;
    case State::Initialized: return from == State::Loaded;
    case State::Running: return from == State::Initialized;
    case State::Stopping: return from == State::Running;
    // Stopped also ends plugins shut down before they ever started.
    case State::Stopped: return from == State::Stopping || from == State::Loaded || from == State::Initialized;
    // Disabled is a decision about a plugin that is not running.
    case State::Disabled: return from != State::Running && from != State::Stopping;
    case State::Failed: return true;
    case State::Discovered: return false;
    }
    return false;
}

Status PluginRecord::advance(State to) {
    if (!is_legal(state_, to))
        return make_error("plugin.state", id() + ": illegal transition " + std::string(to_string(state_)) + " → " +
                                              std::string(to_string(to)));
    state_ = to;
    return ok_status();
}

Status PluginRecord::disable(std::string reason) {
    if (auto st = advance(State::Disabled); !st) return st;
    reason_ = std::move(reason);
    return ok_status();
}

Status PluginRecord::fail(std::string phase, std::string reason) {
    if (state_ == State::Failed) return ok_status();  // keep the first cause
    if (auto st = advance(State::Failed); !st) return st;
    phase_ = std::move(phase);
    reason_ = std::move(reason);
    return ok_status();
}

Status PluginRecord::replace_failure(std::string phase, std::string reason) {
    if (state_ != State::Failed)
        if (auto st = advance(State::Failed); !st) return st;
    phase_ = std::move(phase);
    reason_ = std::move(reason);
    return ok_status();
}

Status PluginRecord::reopen() {
    if (state_ != State::Failed)
        return make_error("plugin.state", id() + ": only a failed plugin can be reopened, this one is " +
                                              std::string(to_string(state_)));
    state_ = State::Loaded;
    phase_.clear();
    reason_.clear();
    return ok_status();
}

}  // namespace cowork::kernel::plugins
