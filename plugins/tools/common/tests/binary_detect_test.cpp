#include "cowork_tools/binary_detect.hpp"

#include <gtest/gtest.h>

using namespace cowork::tools;

TEST(BinaryDetect, PlainAndUtf8TextIsText) {
    EXPECT_FALSE(looks_binary("hello\nworld\n"));
    EXPECT_FALSE(looks_binary("grüße, 日本語, emoji 😀\n"));
    EXPECT_FALSE(looks_binary(""));
}

TEST(BinaryDetect, NulByteMeansBinary) {
    EXPECT_TRUE(looks_binary(std::string("abc\0def", 7)));
}

TEST(BinaryDetect, MostlyInvalidUtf8IsBinary) {
    std::string latin1_noise;
    for (int i = 0; i < 200; ++i) latin1_noise += static_cast<char>(0x80 + (i % 100));
    EXPECT_TRUE(looks_binary(latin1_noise));
    // A single stray Latin-1 byte in long text is tolerated.
    EXPECT_FALSE(looks_binary(std::string(500, 'a') + "\xE9" + std::string(500, 'b')));
}

TEST(BinaryDetect, SequenceCutAtSampleEndIsNotInvalid) {
    EXPECT_EQ(invalid_utf8_bytes("abc\xE6\x97"), 0u);      // first two bytes of 日
    EXPECT_EQ(invalid_utf8_bytes("\xC0\xAF"), 2u);         // overlong '/'
    EXPECT_EQ(invalid_utf8_bytes("\xED\xA0\x80"), 3u);     // surrogate
}

TEST(BinaryDetect, MimeFromMagicThenExtension) {
    EXPECT_EQ(guess_mime("x.bin", "\x89PNG\r\n\x1a\n...."), "image/png");
    EXPECT_EQ(guess_mime("a.pdf", "%PDF-1.7"), "application/pdf");
    EXPECT_EQ(guess_mime("data.JSON", "{}"), "application/json");
    EXPECT_EQ(guess_mime("blob", std::string("\0\1\2", 3)), "application/octet-stream");
    EXPECT_EQ(guess_mime("notes", "hi"), "text/plain");
}
