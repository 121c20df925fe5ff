#include "plugins/verifier.hpp"

#include "plugins/digest.hpp"
#include "plugins/manifest_reader.hpp"
#include "plugins/signing.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cowork::kernel::plugins {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

// A copy of tool.fx-a (manifest, .so, hash) in a scratch root.
struct Copy {
    TempDir tmp;
    fs::path dir;
    Manifest manifest;
    Copy() {
        testing::copy_fixtures(tmp.path(), {"tool.fx-a"});
        dir = tmp.path() / "tool.fx-a";
        manifest = parse_manifest(read_manifest_json(dir / kManifestFile).value(), dir, load_manifest_schema({})).value();
    }
    fs::path library() const { return manifest.library_path(); }
};

void flip_byte_in_the_middle(const fs::path& file) {
    const auto at = static_cast<std::streamoff>(fs::file_size(file) / 2);
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(at);
    const char c = static_cast<char>(f.get());
    f.seekp(at);
    f.put(static_cast<char>(c ^ 0x5A));
}

TEST(Verifier, RecordedHashFromTheBuildIsAccepted) {
    Copy c;
    auto how = Verifier().verify(c.manifest);
    ASSERT_TRUE(how) << how.error().message;
    EXPECT_EQ(*how, "sha256");
}

TEST(Verifier, BitFlipWithOriginalHashIsAMismatch) {
    Copy c;
    flip_byte_in_the_middle(c.library());
    auto how = Verifier().verify(c.manifest);
    ASSERT_FALSE(how);
    EXPECT_EQ(how.error().code, "verify.mismatch");
    EXPECT_NE(how.error().message.find("does not match its recorded SHA-256"), std::string::npos);
}

TEST(Verifier, NeitherHashNorSignatureIsRefusedWithAdvice) {
    Copy c;
    fs::remove(c.dir / kHashFile);
    auto how = Verifier().verify(c.manifest);
    ASSERT_FALSE(how);
    EXPECT_EQ(how.error().code, "verify.unverified");
    EXPECT_NE(how.error().message.find("cowork plugins trust tool.fx-a"), std::string::npos);
}

TEST(Verifier, TruncatedLibraryIsRefusedByTheElfCheckEvenWithAMatchingHash) {
    Copy c;
    fs::resize_file(c.library(), 2048);
    ASSERT_TRUE(record_hash(c.dir));  // the hash now vouches for the truncated bytes
    auto how = Verifier().verify(c.manifest);
    ASSERT_FALSE(how);
    EXPECT_EQ(how.error().code, "elf.invalid");
}

TEST(Verifier, SymlinkedLibraryIsRefused) {
    Copy c;
    const auto outside = c.tmp.path() / "outside.so";
    fs::rename(c.library(), outside);
    fs::create_symlink(outside, c.library());
    auto how = Verifier().verify(c.manifest);
    ASSERT_FALSE(how);
    EXPECT_EQ(how.error().code, "verify.path");
    EXPECT_NE(how.error().message.find("symlink"), std::string::npos);
}

TEST(Verifier, DirectoryInPlaceOfLibraryIsRefused) {
    Copy c;
    fs::remove(c.library());
    fs::create_directory(c.library());
    EXPECT_EQ(Verifier().verify(c.manifest).error().code, "verify.path");
}

TEST(Signing, RecordHashWritesTheSidecarFormat) {
    Copy c;
    fs::remove(c.dir / kHashFile);
    auto digest = record_hash(c.dir);
    ASSERT_TRUE(digest);
    std::ifstream in(c.dir / kHashFile);
    std::string hash, name;
    in >> hash >> name;
    EXPECT_EQ(hash, *digest);
    EXPECT_EQ(hash, sha256_file(c.library()).value());
    EXPECT_EQ(name, "tool.fx-a.so");
}

TEST(Signing, SignatureByATrustedKeyIsAccepted) {
    Copy c;
    fs::remove(c.dir / kHashFile);
    const SigningKey key = generate_signing_key();
    ASSERT_TRUE(sign(c.dir, key));
    auto how = Verifier({{"release", parse_public_key(key.public_base64()).value()}}).verify(c.manifest);
    ASSERT_TRUE(how) << how.error().message;
    EXPECT_EQ(*how, "signature by release");
}

TEST(Signing, RawSignatureBytesAreAcceptedToo) {
    Copy c;
    fs::remove(c.dir / kHashFile);
    const SigningKey key = generate_signing_key();
    ASSERT_TRUE(sign(c.dir, key));
    std::ifstream in(c.dir / kSignatureFile);
    std::string b64;
    in >> b64;
    in.close();
    auto raw = from_base64(b64).value();
    std::ofstream(c.dir / kSignatureFile, std::ios::binary).write(reinterpret_cast<const char*>(raw.data()), 64);
    EXPECT_TRUE(Verifier({{"k", key.public_key}}).verify(c.manifest));
}

TEST(Signing, UntrustedKeyOrTamperedLibraryIsRefused) {
    Copy c;
    fs::remove(c.dir / kHashFile);
    const SigningKey signer = generate_signing_key(), other = generate_signing_key();
    ASSERT_TRUE(sign(c.dir, signer));
    auto wrong_key = Verifier({{"other", other.public_key}}).verify(c.manifest);
    ASSERT_FALSE(wrong_key);
    EXPECT_NE(wrong_key.error().message.find("not a valid signature"), std::string::npos);
    flip_byte_in_the_middle(c.library());
    EXPECT_FALSE(Verifier({{"signer", signer.public_key}}).verify(c.manifest));
}

TEST(Signing, KeysRoundTripThroughBase64AndHex) {
    const SigningKey key = generate_signing_key();
    auto again = SigningKey::from_secret_base64(key.secret_base64());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->public_key, key.public_key);
    EXPECT_EQ(parse_public_key(to_hex(key.public_key.data(), 32)).value(), key.public_key);
    EXPECT_FALSE(parse_public_key("not a key"));
}

}  // namespace
}  // namespace cowork::kernel::plugins
