#include "library.hpp"

#include <dlfcn.h>
#include <elf.h>

#include <cstring>
#include <fstream>

namespace cowork::plugin_host {
namespace {

// Empty when the header is plausible for a 64-bit ELF of this size.
std::string check_elf(const std::string& path) {
    std::ifstream file(path, std::ios::binary | std::ios::ate);
    if (!file) return "cannot open " + path;
    const auto size = static_cast<uint64_t>(file.tellg());
    Elf64_Ehdr header{};
    if (size < sizeof header) return path + " is too short to be a shared library";
    file.seekg(0);
    file.read(reinterpret_cast<char*>(&header), sizeof header);
    if (!file || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) return path + " is not an ELF file";
    if (header.e_ident[EI_CLASS] != ELFCLASS64) return path + " is not a 64-bit ELF file";
    if (header.e_type != ET_DYN) return path + " is not a shared library";
    const uint64_t ph_end = header.e_phoff + uint64_t{header.e_phnum} * header.e_phentsize;
    const uint64_t sh_end = header.e_shoff + uint64_t{header.e_shnum} * header.e_shentsize;
    if (ph_end > size || sh_end > size) return path + " is truncated (headers point past the end of the file)";
    return {};
}

}  // namespace

LoadedPlugin load_plugin(const std::string& path, const std::string& expected_id) {
    LoadedPlugin loaded;
    if (auto problem = check_elf(path); !problem.empty()) {
        loaded.error = problem;
        return loaded;
    }
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char* why = ::dlerror();
        loaded.error = std::string("cannot load ") + path + ": " + (why ? why : "unknown error");
        return loaded;
    }
    const auto* entry = static_cast<const cowork_plugin_entry*>(::dlsym(handle, COWORK_ENTRY_SYMBOL));
    if (!entry) {
        loaded.error = path + " does not export " COWORK_ENTRY_SYMBOL;
        return loaded;
    }
    if (entry->struct_size < sizeof(cowork_plugin_entry) || !entry->create || !entry->id) {
        loaded.error = path + ": malformed entry struct";
        return loaded;
    }
    if (entry->abi_major != COWORK_ABI_MAJOR || entry->abi_minor > COWORK_ABI_MINOR) {
        loaded.error = path + ": built for ABI " + std::to_string(entry->abi_major) + "." +
                       std::to_string(entry->abi_minor) + ", this host speaks " + std::to_string(COWORK_ABI_MAJOR) +
                       "." + std::to_string(COWORK_ABI_MINOR);
        return loaded;
    }
    if (expected_id != entry->id) {
        loaded.error = path + ": entry id '" + entry->id + "' does not match plugin id '" + expected_id + "'";
        return loaded;
    }
    loaded.entry = entry;
    return loaded;
}

}  // namespace cowork::plugin_host
