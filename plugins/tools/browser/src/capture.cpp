#include "capture.hpp"

#include <cowork_tools/atomic_write.hpp>
#include <cowork_tools/tool_failure.hpp>

#include <algorithm>
#include <array>

namespace cowork::browser {
using tools::ToolFailure;

namespace {
constexpr double kMaxPageHeight = 16384;  // Chromium's texture limit; longer pages are cut
constexpr auto kCaptureTimeout = std::chrono::seconds(60);
}  // namespace

std::string decode_base64(std::string_view in) {
    static const auto table = [] {
        std::array<int, 256> t{};
        t.fill(-1);
        const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (size_t i = 0; i < chars.size(); ++i) t[static_cast<unsigned char>(chars[i])] = static_cast<int>(i);
        return t;
    }();
    std::string out;
    out.reserve(in.size() / 4 * 3);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        const int v = table[static_cast<unsigned char>(c)];
        if (v < 0) continue;  // '=' padding and whitespace
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xFF);
        }
    }
    return out;
}

SavedFile save_in_workspace(const tools::Confinement& fs, const std::string& path, std::string_view bytes) {
    tools::ResolveOptions options = tools::kForWrite;
    options.create_parents = true;
    const tools::Resolved r = fs.resolve(path, options);
    if (r.is_root()) throw ToolFailure("path '" + path + "' is a directory; give a file name");
    const auto result = tools::atomic_write(r.parent.get(), r.name, r.display, bytes);
    return {r.display, result.bytes};
}

std::string screenshot_png(BrowserSession& s, Tab& tab, bool full_page, const ElementTarget& element) {
    Json params{{"format", "png"}};
    if (!element.empty()) {
        const std::string id = resolve_element(s, tab, element);
        const Json r = call_on(s, tab, id, R"(function() {
            this.scrollIntoView({block: 'center'});
            const r = this.getBoundingClientRect();
            return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height};
        })");
        if (r.value("w", 0.0) <= 0 || r.value("h", 0.0) <= 0) throw ToolFailure(element.describe() + " has zero size");
        params["clip"] = {{"x", r["x"]}, {"y", r["y"]}, {"width", r["w"]}, {"height", r["h"]}, {"scale", 1}};
        params["captureBeyondViewport"] = true;
    } else if (full_page) {
        const Json m = s.call(tab, "Page.getLayoutMetrics");
        const Json& size = m.contains("cssContentSize") ? m["cssContentSize"] : m["contentSize"];
        params["clip"] = {{"x", 0}, {"y", 0}, {"width", size.value("width", 0.0)},
                          {"height", std::min(size.value("height", 0.0), kMaxPageHeight)}, {"scale", 1}};
        params["captureBeyondViewport"] = true;
    }
    const Json r = s.call(tab, "Page.captureScreenshot", params, kCaptureTimeout);
    return decode_base64(r.value("data", ""));
}

std::string print_pdf(BrowserSession& s, Tab& tab, bool landscape, bool print_background) {
    const Json r = s.call(tab, "Page.printToPDF", {{"landscape", landscape}, {"printBackground", print_background}},
                          kCaptureTimeout);
    return decode_base64(r.value("data", ""));
}

}  // namespace cowork::browser
