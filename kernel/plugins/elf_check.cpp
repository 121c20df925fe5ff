#include "plugins/elf_check.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>

namespace cowork::kernel::plugins {
namespace {

namespace fs = std::filesystem;

#if defined(__x86_64__)
constexpr uint16_t kMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr uint16_t kMachine = EM_AARCH64;
#elif defined(__riscv) && __riscv_xlen == 64
constexpr uint16_t kMachine = EM_RISCV;
#else
#error "plugins/elf_check: add this machine's EM_ constant"
#endif

Error bad(const fs::path& file, const std::string& what) {
    return make_error("elf.invalid", file.filename().string() + ": " + what);
}

// offset + count * size ≤ file size, without overflowing.
bool fits(uint64_t offset, uint64_t count, uint64_t size, uint64_t file_size) {
    if (offset > file_size) return false;
    if (size != 0 && count > (file_size - offset) / size) return false;
    return true;
}

Status check_header(const Elf64_Ehdr& eh, const fs::path& file, uint64_t size) {
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return bad(file, "not an ELF file");
    if (eh.e_ident[EI_CLASS] != ELFCLASS64) return bad(file, "not a 64-bit ELF object");
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB) return bad(file, "not little-endian");
    if (eh.e_type != ET_DYN) return bad(file, "not a shared object (ET_DYN)");
    if (eh.e_machine != kMachine)
        return bad(file, "built for machine " + std::to_string(eh.e_machine) + ", this is " + std::to_string(kMachine));
    if (eh.e_phnum == 0 || eh.e_phentsize != sizeof(Elf64_Phdr)) return bad(file, "bad program header table");
    if (!fits(eh.e_phoff, eh.e_phnum, eh.e_phentsize, size))
        return bad(file, "truncated ELF (program headers past end of file)");
    if (eh.e_shnum != 0 && eh.e_shentsize != sizeof(Elf64_Shdr)) return bad(file, "bad section header table");
    if (!fits(eh.e_shoff, eh.e_shnum, eh.e_shentsize, size))
        return bad(file, "truncated ELF (section headers past end of file)");
    return ok_status();
}

}  // namespace

Status check_elf(const fs::path& file) {
    std::error_code ec;
    const uint64_t size = fs::file_size(file, ec);
    if (ec) return bad(file, ec.message());
    std::ifstream in(file, std::ios::binary);
    Elf64_Ehdr eh{};
    if (size < sizeof eh || !in.read(reinterpret_cast<char*>(&eh), sizeof eh))
        return bad(file, "too small to be an ELF object (" + std::to_string(size) + " bytes)");
    if (auto header = check_header(eh, file, size); !header) return header;
    in.seekg(static_cast<std::streamoff>(eh.e_phoff));
    for (unsigned i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph{};
        if (!in.read(reinterpret_cast<char*>(&ph), sizeof ph)) return bad(file, "short read in program headers");
        const bool mapped = ph.p_type == PT_LOAD || ph.p_type == PT_DYNAMIC;
        if (mapped && !fits(ph.p_offset, 1, ph.p_filesz, size))
            return bad(file, "truncated ELF (segment " + std::to_string(i) + " past end of file)");
    }
    return ok_status();
}

}  // namespace cowork::kernel::plugins
