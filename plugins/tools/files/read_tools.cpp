// read_file and read_files: text by line window or byte range, binary files
// described instead of dumped, every result under the output cap.
#include "cowork_tools/atomic_write.hpp"
#include "cowork_tools/binary_detect.hpp"
#include "cowork_tools/tool_failure.hpp"
#include "file_tools.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace cowork::tools::files {
namespace {

constexpr int64_t kDefaultLineLimit = 2000;
constexpr size_t kMaxFilesPerCall = 100;

struct LineWindow {
    int64_t offset = 1;  // first line, 1-based
    int64_t limit = kDefaultLineLimit;
    bool numbers = true;
};

struct ReadOutcome {
    std::string text;
    Json data;
};

std::string read_at(int fd, size_t offset, size_t length) {
    std::string out(length, '\0');
    size_t got = 0;
    while (got < length) {
        const ssize_t n = ::pread(fd, out.data() + got, length - got, static_cast<off_t>(offset + got));
        if (n < 0) {
            if (errno == EINTR) continue;
            fail_errno("read failed", errno);
        }
        if (n == 0) break;
        got += static_cast<size_t>(n);
    }
    out.resize(got);
    return out;
}

void append_line(std::string& out, int64_t number, std::string_view line, bool numbers) {
    if (numbers) {
        char prefix[24];
        std::snprintf(prefix, sizeof prefix, "%6lld\t", static_cast<long long>(number));
        out += prefix;
    }
    out.append(line);
    out += '\n';
}

// Streams the file once, keeping lines [offset, offset+limit) while the
// output stays under `budget`.
ReadOutcome read_lines(int fd, const std::string& display, uint64_t size, const LineWindow& w, size_t budget) {
    std::string out, pending;
    int64_t line_no = 0, last_shown = 0;
    bool more = false, cut_by_budget = false;
    char buf[65536];
    auto take = [&](std::string_view line) {
        ++line_no;
        if (line_no < w.offset) return true;
        if (line_no >= w.offset + w.limit || cut_by_budget) {
            more = true;
            return false;
        }
        if (out.size() + line.size() + 8 > budget) {
            cut_by_budget = more = true;
            return false;
        }
        append_line(out, line_no, line, w.numbers);
        last_shown = line_no;
        return true;
    };
    bool go = true;
    while (go) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail_errno("cannot read '" + display + "'", errno);
        }
        if (n == 0) break;
        pending.append(buf, static_cast<size_t>(n));
        size_t start = 0;
        for (size_t nl; go && (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
            std::string_view line(pending.data() + start, nl - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            go = take(line);
        }
        pending.erase(0, start);
        // A single line longer than the budget: stop instead of buffering it all.
        if (go && pending.size() > budget) {
            if (line_no + 1 >= w.offset) cut_by_budget = more = true;
            go = false;
        }
    }
    if (go && !pending.empty()) take(pending);

    std::string note;
    if (line_no < w.offset && last_shown == 0 && !more)
        note = "(the file has only " + std::to_string(line_no) + " lines; offset " + std::to_string(w.offset) +
               " is past the end)";
    else if (cut_by_budget && last_shown == 0)
        note = "(line " + std::to_string(w.offset) + " alone exceeds the output cap; read it with byteOffset/byteLength)";
    else if (more)
        note = "(showing lines " + std::to_string(w.offset) + "-" + std::to_string(last_shown) +
               "; more follow: call read_file with offset=" + std::to_string(last_shown + 1) + ")";
    if (!note.empty()) out += note + "\n";
    Json data{{"path", display}, {"size", size}, {"startLine", w.offset}, {"endLine", last_shown},
              {"truncated", more}};
    if (more) data["nextOffset"] = last_shown + 1;
    return {std::move(out), std::move(data)};
}

ReadOutcome read_bytes(int fd, const std::string& display, uint64_t size, uint64_t offset, uint64_t length) {
    length = std::min<uint64_t>(length, kMaxTextBytes);
    std::string bytes = offset < size ? read_at(fd, offset, std::min<uint64_t>(length, size - offset)) : "";
    const uint64_t end = offset + bytes.size();
    std::string text = bytes;
    if (end < size)
        text += "\n(bytes " + std::to_string(offset) + "-" + std::to_string(end) + " of " + std::to_string(size) +
                "; call read_file with byteOffset=" + std::to_string(end) + " to continue)\n";
    return {std::move(text), Json{{"path", display}, {"size", size}, {"byteOffset", offset}, {"byteEnd", end},
                                  {"truncated", end < size}}};
}

// One file, or a ToolFailure. `binary` is set instead of dumping bytes.
ReadOutcome read_one(const Confinement& fs, const std::string& path, const Arguments& args, const LineWindow& w,
                     size_t budget, bool& binary) {
    const Resolved r = fs.resolve(path, kForRead);
    const UniqueFd fd = fs.open_regular(r, O_RDONLY);
    struct stat st {};
    ::fstat(fd.get(), &st);
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    const std::string sample = read_at(fd.get(), 0, kBinarySniffBytes);
    binary = looks_binary(sample);
    if (binary) {
        const std::string mime = guess_mime(r.name, sample);
        return {"'" + r.display + "' looks binary (" + mime + ", " + std::to_string(size) +
                    " bytes); its content is not shown. Use file_info for details.",
                Json{{"path", r.display}, {"binary", true}, {"size", size}, {"mime", mime}}};
    }
    if (args.has("byteOffset") || args.has("byteLength"))
        return read_bytes(fd.get(), r.display, size,
                          static_cast<uint64_t>(args.integer("byteOffset", 0, 0, INT64_MAX)),
                          static_cast<uint64_t>(args.integer("byteLength", kMaxTextBytes, 1, kMaxTextBytes)));
    return read_lines(fd.get(), r.display, size, w, budget);
}

LineWindow window_from(const Arguments& args) {
    LineWindow w;
    w.offset = args.integer("offset", 1, 1, INT64_MAX);
    w.limit = args.integer("limit", kDefaultLineLimit, 1, 1000000);
    w.numbers = args.boolean("lineNumbers", true);
    return w;
}

Json read_file(CallContext& ctx) {
    const std::string path = ctx.args.required_string("path");
    bool binary = false;
    auto outcome = read_one(ctx.fs, path, ctx.args, window_from(ctx.args), kMaxTextBytes, binary);
    if (binary) return error_result(outcome.text, outcome.data);
    return text_result(outcome.text, outcome.data);
}

Json read_files(CallContext& ctx) {
    const auto paths = ctx.args.strings("paths");
    if (paths.empty()) throw sdk::invalid("read_files: 'paths' must list at least one file");
    if (paths.size() > kMaxFilesPerCall)
        throw sdk::invalid("read_files: at most " + std::to_string(kMaxFilesPerCall) + " paths per call");
    const LineWindow w = window_from(ctx.args);
    std::string out;
    Json files = Json::array();
    size_t failures = 0;
    for (size_t i = 0; i < paths.size(); ++i) {
        const size_t left = kMaxTextBytes > out.size() ? kMaxTextBytes - out.size() : 0;
        if (left < 256) {
            out += "(output cap reached: " + std::to_string(paths.size() - i) +
                   " files not shown; read them in another call)\n";
            for (; i < paths.size(); ++i) files.push_back({{"path", paths[i]}, {"skipped", true}});
            break;
        }
        out += "==> " + paths[i] + " <==\n";
        try {
            bool binary = false;
            auto outcome = read_one(ctx.fs, paths[i], ctx.args, w, left, binary);
            out += outcome.text;
            if (!outcome.text.empty() && outcome.text.back() != '\n') out += '\n';
            files.push_back(outcome.data);
        } catch (const ToolFailure& f) {
            ++failures;
            out += std::string("error: ") + f.what() + "\n";
            files.push_back({{"path", paths[i]}, {"error", f.what()}});
        }
        ctx.progress(static_cast<double>(i + 1) / static_cast<double>(paths.size()), paths[i]);
    }
    Json result = text_result(out, Json{{"files", files}});
    if (failures == paths.size()) result["isError"] = true;
    return result;
}

Json path_schema(const char* what) { return {{"type", "string"}, {"description", what}}; }

Json window_properties() {
    return {{"offset", {{"type", "integer"}, {"minimum", 1}, {"description", "first line to show (1-based)"}}},
            {"limit", {{"type", "integer"}, {"minimum", 1}, {"description", "how many lines (default 2000)"}}},
            {"lineNumbers", {{"type", "boolean"}, {"description", "prefix lines with their number (default true)"}}}};
}

}  // namespace

void add_read_tools(ToolSet& tools) {
    Json read_props = window_properties();
    read_props["path"] = path_schema("file path, relative to the workspace (or absolute inside it)");
    read_props["byteOffset"] = {{"type", "integer"}, {"minimum", 0}, {"description", "read raw bytes from here instead of lines"}};
    read_props["byteLength"] = {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxTextBytes}};
    tools.add({"read_file",
               "Read a text file from the workspace. Returns numbered lines (offset/limit window, default the first "
               "2000 lines) or a byte range (byteOffset/byteLength) for huge files. Binary files are not dumped: "
               "their size and MIME type are reported instead.",
               {{"type", "object"}, {"properties", read_props}, {"required", Json::array({"path"})},
                {"additionalProperties", false}}},
              read_file);

    Json many_props = window_properties();
    many_props["paths"] = {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 1}, {"maxItems", kMaxFilesPerCall}};
    tools.add({"read_files",
               "Read several text files at once (same line window for each). A file that cannot be read is reported "
               "inline and does not fail the others. Total output is capped at 256 KiB.",
               {{"type", "object"}, {"properties", many_props}, {"required", Json::array({"paths"})},
                {"additionalProperties", false}}},
              read_files);
}

}  // namespace cowork::tools::files
