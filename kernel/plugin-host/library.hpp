// kernel/plugin-host/library.hpp — opening the plugin library in the child.
#pragma once

#include <cowork/abi.h>

#include <string>

namespace cowork::plugin_host {

// The plugin's entry, or why there is none. The library stays mapped until
// the process exits (never dlclose'd: its code may still be running).
struct LoadedPlugin {
    const cowork_plugin_entry* entry = nullptr;
    std::string error;  // non-empty: load failed, answer plugin.create with it
};

// Checks the ELF header against the file size (a truncated .so can crash
// dlopen — only this child, but a clear error beats a signal), dlopens with
// RTLD_NOW | RTLD_LOCAL, resolves cowork_entry and checks its ABI and id.
LoadedPlugin load_plugin(const std::string& path, const std::string& expected_id);

}  // namespace cowork::plugin_host
