#include "secrets/key_source.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>

namespace cowork::kernel::secrets {
namespace {

using cowork::testing::TempDir;

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 07777;
}

PassphraseProvider fixed(std::string passphrase) {
    return [passphrase] { return std::optional<std::string>(passphrase); };
}

TEST(KeyFile, CreatedWith0600AndStable) {
    TempDir dir;
    const auto path = dir.path() / "sub" / "secrets.key";
    auto first = load_key_file(path);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(mode_of(path), 0600u);
    EXPECT_EQ(std::filesystem::file_size(path), 32u);
    auto second = load_key_file(path);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(first->id(), second->id());
    EXPECT_EQ(first->id().size(), 16u);
}

TEST(KeyFile, GroupOrWorldReadableRefusedWithChmodHint) {
    TempDir dir;
    const auto path = dir.path() / "secrets.key";
    ASSERT_TRUE(load_key_file(path).ok());
    ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
    auto key = load_key_file(path);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().code, "secrets.keyfile_permissions");
    EXPECT_NE(key.error().message.find("chmod 600 " + path.string()), std::string::npos) << key.error().message;
    EXPECT_NE(key.error().message.find("0644"), std::string::npos);
    ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
    EXPECT_FALSE(load_key_file(path).ok());
}

TEST(KeyFile, WrongSizeRefused) {
    TempDir dir;
    const auto path = dir.path() / "secrets.key";
    std::ofstream(path) << "short";
    ::chmod(path.c_str(), 0600);
    EXPECT_EQ(load_key_file(path).error().code, "secrets.keyfile_size");
}

TEST(Passphrase, SamePassphraseSameKeyAndParamsFile0600) {
    TempDir dir;
    const auto params = dir.path() / "secrets.kdf.json";
    auto first = derive_from_passphrase(params, fixed("correct horse battery"), KdfStrength::minimum_for_tests);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(mode_of(params), 0600u);
    auto again = derive_from_passphrase(params, fixed("correct horse battery"), KdfStrength::moderate);
    ASSERT_TRUE(again.ok()) << again.error().message;  // stored limits win over the requested strength
    EXPECT_EQ(first->id(), again->id());
}

TEST(Passphrase, WrongPassphraseReportedAsSuch) {
    TempDir dir;
    const auto params = dir.path() / "secrets.kdf.json";
    ASSERT_TRUE(derive_from_passphrase(params, fixed("right one"), KdfStrength::minimum_for_tests).ok());
    auto wrong = derive_from_passphrase(params, fixed("wrong one"), KdfStrength::minimum_for_tests);
    ASSERT_FALSE(wrong.ok());
    EXPECT_EQ(wrong.error().code, "secrets.wrong_passphrase");
    EXPECT_NE(wrong.error().message.find("passphrase is wrong"), std::string::npos);
    EXPECT_EQ(wrong.error().message.find("wrong one"), std::string::npos);
}

TEST(Passphrase, MissingPassphraseAndDamagedParams) {
    TempDir dir;
    const auto params = dir.path() / "secrets.kdf.json";
    auto none = derive_from_passphrase(params, [] { return std::optional<std::string>{}; });
    EXPECT_EQ(none.error().code, "secrets.no_passphrase");
    std::ofstream(params) << "{not json";
    EXPECT_EQ(derive_from_passphrase(params, fixed("x-pass")).error().code, "secrets.kdf_params");
}

TEST(SystemdCredential, RawAndHashedContent) {
    TempDir dir;
    const auto cred = dir.path() / kSystemdCredentialName;
    std::ofstream(cred, std::ios::binary) << std::string(32, 'k');
    auto raw = load_systemd_credential(dir.path());
    ASSERT_TRUE(raw.ok()) << raw.error().message;
    EXPECT_EQ(raw->id(), MasterKey::from_bytes(std::vector<uint8_t>(32, 'k')).value().id());
    std::ofstream(cred, std::ios::binary) << std::string(64, 'k');
    auto hashed = load_systemd_credential(dir.path());
    ASSERT_TRUE(hashed.ok());
    EXPECT_NE(hashed->id(), raw->id());
    std::ofstream(cred, std::ios::binary) << "short";
    EXPECT_EQ(load_systemd_credential(dir.path()).error().code, "secrets.credential_size");
    std::filesystem::remove(cred);
    EXPECT_EQ(load_systemd_credential(dir.path()).error().code, "secrets.no_credential");
}

TEST(LoadKey, DispatchesAndRejectsUnknownKind) {
    TempDir dir;
    KeySourceOptions o;
    o.keyfile = dir.path() / "k";
    EXPECT_TRUE(load_key(o).ok());
    o.kind = "tpm";
    EXPECT_EQ(load_key(o).error().code, "secrets.key_source");
}

}  // namespace
}  // namespace cowork::kernel::secrets
