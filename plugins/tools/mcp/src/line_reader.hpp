// line_reader.hpp — a thread that reads newline-delimited text from one
// descriptor and hands over whole lines, until EOF or stop(). A line longer
// than the cap is dropped (reported once as "oversized"), so a hostile or
// broken server cannot make us buffer without bound.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace cowork::mcp {

class LineReader {
public:
    using LineFn = std::function<void(std::string&& line)>;
    using OversizedFn = std::function<void(size_t bytes)>;
    using EofFn = std::function<void()>;

    LineReader(int fd, size_t max_line_bytes, LineFn on_line, OversizedFn on_oversized, EofFn on_eof);
    ~LineReader();  // stops and joins
    LineReader(const LineReader&) = delete;
    LineReader& operator=(const LineReader&) = delete;

    // Wakes the thread and joins it; must not be called from its own callbacks.
    void stop();

private:
    void run();

    int fd_;
    size_t max_line_bytes_;
    LineFn on_line_;
    OversizedFn on_oversized_;
    EofFn on_eof_;
    int wake_[2] = {-1, -1};
    std::thread thread_;
};

}  // namespace cowork::mcp
