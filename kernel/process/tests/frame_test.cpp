#include "process/frame.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <unistd.h>

using namespace cowork::kernel::process;

namespace {

struct SocketPair {
    int fds[2] = {-1, -1};
    SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0); }
    ~SocketPair() {
        for (int fd : fds)
            if (fd >= 0) ::close(fd);
    }
    void send_raw(const std::string& bytes) { ASSERT_EQ(::write(fds[1], bytes.data(), bytes.size()), ssize_t(bytes.size())); }
    void close_writer() {
        ::close(fds[1]);
        fds[1] = -1;
    }
};

}  // namespace

TEST(ProcessFrame, RoundTripsPayloads) {
    SocketPair s;
    ASSERT_TRUE(write_frame(s.fds[1], R"({"a":1})"));
    ASSERT_TRUE(write_frame(s.fds[1], std::string(100000, 'x')));
    auto first = read_frame(s.fds[0]);
    ASSERT_EQ(first.kind, FrameRead::Kind::Frame);
    EXPECT_EQ(first.payload, R"({"a":1})");
    auto second = read_frame(s.fds[0]);
    ASSERT_EQ(second.kind, FrameRead::Kind::Frame);
    EXPECT_EQ(second.payload.size(), 100000u);
}

TEST(ProcessFrame, HeaderIsBigEndian) { EXPECT_EQ(frame_header(0x01020304), std::string("\x01\x02\x03\x04", 4)); }

TEST(ProcessFrame, OversizeHeaderIsRefusedWithoutAllocating) {
    SocketPair s;
    s.send_raw(frame_header(0xffffffffu) + "garbage");
    const auto read = read_frame(s.fds[0]);
    EXPECT_EQ(read.kind, FrameRead::Kind::Oversize);
    EXPECT_NE(read.detail.find("exceeds"), std::string::npos);
}

TEST(ProcessFrame, EmptyFrameIsRefused) {
    SocketPair s;
    s.send_raw(frame_header(0));
    EXPECT_EQ(read_frame(s.fds[0]).kind, FrameRead::Kind::Oversize);
}

TEST(ProcessFrame, WriterRefusesPayloadOverCap) {
    SocketPair s;
    EXPECT_FALSE(write_frame(s.fds[1], std::string(33, 'x'), 32));
}

TEST(ProcessFrame, CleanEofAndTruncatedFrameAreDistinguished) {
    {
        SocketPair s;
        s.close_writer();
        EXPECT_EQ(read_frame(s.fds[0]).kind, FrameRead::Kind::Eof);
    }
    {
        SocketPair s;
        s.send_raw(frame_header(10) + "abc");
        s.close_writer();
        EXPECT_EQ(read_frame(s.fds[0]).kind, FrameRead::Kind::Error);
    }
}
