#include "output_cap.hpp"

#include <gtest/gtest.h>

using cowork::shell::HeadTailBuffer;

TEST(OutputCap, KeepsEverythingUnderTheLimit) {
    HeadTailBuffer b(100);
    b.append("hello ");
    b.append("world");
    EXPECT_EQ(b.render(), "hello world");
    EXPECT_FALSE(b.truncated());
    EXPECT_EQ(b.total_bytes(), 11u);
}

TEST(OutputCap, KeepsHeadAndTailWithMarker) {
    HeadTailBuffer b(20);
    std::string all;
    for (int i = 0; i < 100; ++i) {
        const std::string chunk = std::to_string(i % 10);
        all += chunk;
        b.append(chunk);
    }
    ASSERT_TRUE(b.truncated());
    EXPECT_EQ(b.omitted_bytes(), 80u);
    const std::string out = b.render();
    EXPECT_EQ(out.substr(0, 10), all.substr(0, 10));
    EXPECT_EQ(out.substr(out.size() - 10), all.substr(90));
    EXPECT_NE(out.find("… 80 bytes omitted …"), std::string::npos) << out;
}

TEST(OutputCap, OneHugeAppendIsCappedToo) {
    HeadTailBuffer b(1000);
    b.append(std::string(500, 'a') + std::string(100000, 'b') + std::string(500, 'c'));
    const std::string out = b.render();
    EXPECT_LT(out.size(), 1100u);
    EXPECT_EQ(out.substr(0, 500), std::string(500, 'a'));
    EXPECT_EQ(out.substr(out.size() - 500), std::string(500, 'c'));
    EXPECT_EQ(b.total_bytes(), 101000u);
}

TEST(OutputCap, DoesNotSplitUtf8Characters) {
    HeadTailBuffer b(11);  // head 5 bytes, tail 6 bytes
    std::string s;
    for (int i = 0; i < 20; ++i) s += "é";  // 2 bytes each
    b.append(s);
    const std::string out = b.render();
    const auto marker = out.find("\n…");
    ASSERT_NE(marker, std::string::npos);
    EXPECT_EQ(marker % 2, 0u) << "head ends mid-character";
    EXPECT_NE(static_cast<unsigned char>(out.back()), 0xC3) << "tail ends mid-character";
    const auto tail = out.substr(out.rfind('\n') + 1);
    EXPECT_EQ(tail.size() % 2, 0u);
    EXPECT_EQ(static_cast<unsigned char>(tail[0]), 0xC3);
}
