#include "plugins/inprocess_runtime.hpp"

#include "plugins/error_sink.hpp"

#include <boost/dll/shared_library.hpp>

#include <cstddef>
#include <mutex>
#include <vector>

namespace cowork::kernel::plugins {
namespace {

namespace dll = boost::dll;

// Every library ever loaded, on purpose never released: see the header.
// Leaked so no static destructor dlcloses anything at exit either.
std::shared_ptr<dll::shared_library> keep_forever(std::shared_ptr<dll::shared_library> lib) {
    static std::mutex mutex;
    static auto* libraries = new std::vector<std::shared_ptr<dll::shared_library>>();
    std::lock_guard lock(mutex);
    libraries->push_back(lib);
    return lib;
}

std::string abi_text(unsigned major, unsigned minor) { return std::to_string(major) + "." + std::to_string(minor); }

// The slots a kernel of this ABI calls; a smaller table is from a broken build.
constexpr size_t kMinPluginTable = offsetof(cowork_plugin, get_interface) + sizeof(void*);
constexpr size_t kMinEntry = offsetof(cowork_plugin_entry, create) + sizeof(void*);

}  // namespace

Status check_entry(const cowork_plugin_entry& e, const Manifest& m) {
    if (e.struct_size < kMinEntry)
        return make_error("abi", "entry struct is " + std::to_string(e.struct_size) + " bytes, expected at least " +
                                     std::to_string(kMinEntry) + ": not a CoWork plugin build");
    const std::string built = abi_text(e.abi_major, e.abi_minor);
    const std::string ours = abi_text(COWORK_ABI_MAJOR, COWORK_ABI_MINOR);
    if (e.abi_major != COWORK_ABI_MAJOR)
        return make_error("abi", "built for ABI " + built + ", kernel has " + ours +
                                     (e.abi_major > COWORK_ABI_MAJOR ? ": update CoWork" : ": rebuild the plugin"));
    if (e.abi_minor > COWORK_ABI_MINOR)
        return make_error("abi", "built for ABI " + built + ", kernel has " + ours + ": update CoWork");
    if (!e.id || m.id != e.id)
        return make_error("mismatch", std::string("library reports id \"") + (e.id ? e.id : "(null)") +
                                          "\" but the manifest says \"" + m.id + "\"");
    if (!e.version || m.version != e.version)
        return make_error("mismatch", std::string("library is version ") + (e.version ? e.version : "(null)") +
                                          " but the manifest says " + m.version + ": stale manifest or library");
    if (!e.create) return make_error("abi", "entry has no create function");
    return ok_status();
}

Result<Instance> InProcessRuntime::create(const Manifest& m, const cowork_host* host, CrashHandler) {
    // In-process plugins cannot crash "underneath" the kernel without
    // taking it along, so the crash handler is never called here.
    auto lib = std::make_shared<dll::shared_library>();
    try {
        lib->load(m.library_path(), dll::load_mode::rtld_now | dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
        // Boost appends an unrelated errno text; fine for people, not parsed.
        return make_error("load", "dlopen failed: " + std::string(e.what()));
    }
    keep_forever(lib);
    if (!lib->has(COWORK_ENTRY_SYMBOL)) return make_error("load", "missing symbol " COWORK_ENTRY_SYMBOL);
    const auto& entry = lib->get<const cowork_plugin_entry>(COWORK_ENTRY_SYMBOL);
    if (auto st = check_entry(entry, m); !st) return st.error();

    const cowork_plugin* table = nullptr;
    ErrorSink err;
    cowork_status status = COWORK_E_INTERNAL;
    try {
        status = entry.create(host, &table, err.sink());
    } catch (...) {
        return make_error("create", "create threw an exception across the C boundary");
    }
    if (status != COWORK_OK) return make_error("create", "create failed: " + err.message(status));
    if (!table || table->struct_size < kMinPluginTable || !table->destroy)
        return make_error("create", "create returned no usable plugin table");
    return Instance{table, std::static_pointer_cast<void>(lib)};
}

}  // namespace cowork::kernel::plugins
