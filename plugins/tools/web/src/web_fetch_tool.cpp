// web_fetch: one URL → readable text for the model (see docs/tools.md,
// "tool.web"). Every refusal, HTTP failure, oversize or binary body is an
// isError result the model can act on; only malformed arguments throw.
#include "content.hpp"
#include "web_tools.hpp"

namespace cowork::web {
namespace {

using tools::Json;

FetchFormat parse_format(const std::string& f) {
    if (f == "markdown") return FetchFormat::markdown;
    if (f == "text") return FetchFormat::text;
    if (f == "raw") return FetchFormat::raw;
    throw sdk::invalid("web_fetch: \"format\" must be markdown, text or raw, got '" + f + "'");
}

std::string size_text(const FetchResult& r) {
    if (!r.declared_length.empty()) return r.declared_length + " bytes";
    if (!r.body.empty()) return std::to_string(r.body.size()) + " bytes";
    return "unknown size";
}

Json data_of(const FetchResult& r, const std::string& requested) {
    Json d{{"url", requested}, {"finalUrl", r.final_url}, {"status", r.status}, {"contentType", r.content_type},
           {"bytes", r.body.size()}};
    if (!r.redirects.empty()) d["redirects"] = r.redirects;
    return d;
}

Json refuse_binary(const FetchResult& r, const std::string& requested) {
    Json d = data_of(r, requested);
    d["binary"] = true;
    return tools::error_result("web_fetch: " + r.final_url + " is binary content (" +
                                   (r.content_type.empty() ? std::string("no Content-Type") : media_type(r.content_type)) +
                                   ", " + size_text(r) + "); it was not downloaded or shown. web_fetch reads text, "
                                   "HTML, JSON and XML only.",
                               d);
}

Json fetch(tools::CallContext& ctx, const Fetcher& fetcher) {
    const auto& args = ctx.args;
    FetchRequest request;
    request.url = args.required_string("url");
    const FetchFormat format = parse_format(args.string("format").value_or("markdown"));
    request.max_bytes = static_cast<uint64_t>(args.integer("maxBytes", kDefaultMaxBytes, 1, kHardMaxBytes));
    request.timeout_ms = static_cast<int>(args.integer("timeoutMs", 30000, 100, 120000));
    request.max_redirects = static_cast<int>(args.integer("maxRedirects", 5, 0, 10));

    ctx.progress(0.0, "fetching " + request.url);
    const auto cancel = ctx.cancel;
    FetchResult r = fetcher.fetch(request, [cancel] { return cancel.cancelled(); });
    if (!r.ok) {
        if (r.error_code == "binary") return refuse_binary(r, request.url);
        return tools::error_result("web_fetch: " + request.url + ": " + r.message,
                                   Json{{"url", request.url}, {"code", r.error_code}, {"redirects", r.redirects}});
    }
    const ContentKind kind = classify_content(r.content_type, r.body);
    if (kind == ContentKind::binary) return refuse_binary(r, request.url);

    Rendered page = render_body(r.body, kind, r.content_type, r.final_url, format);
    const bool truncated = cap_head_tail(page.text, tools::kMaxTextBytes);
    Json data = data_of(r, request.url);
    data["format"] = args.string("format").value_or("markdown");
    data["charset"] = page.charset;
    data["truncated"] = truncated;
    if (!page.title.empty()) data["title"] = page.title;
    if (!page.note.empty()) data["note"] = page.note;
    if (r.status >= 400) {
        std::string excerpt = page.text;
        cap_head_tail(excerpt, 4096);
        return tools::error_result("web_fetch: " + r.final_url + " answered HTTP " + std::to_string(r.status) +
                                       ". The page says:\n\n" + excerpt,
                                   data);
    }
    ctx.progress(1.0, "fetched " + std::to_string(r.body.size()) + " bytes");
    if (page.text.empty()) page.text = "(the page has no readable text)";
    return tools::text_result(page.text, data);
}

}  // namespace

void register_web_fetch(tools::ToolSet& tools, const Fetcher& fetcher) {
    tools::ToolSpec spec;
    spec.name = "web_fetch";
    spec.description =
        "Fetch one http(s) URL and return it as readable Markdown (default), plain text or the raw body. HTML is "
        "converted (scripts, navigation and footers dropped; links made absolute), JSON pretty-printed; binary "
        "content (PDF, images, archives) is refused. Private, loopback and cloud-metadata addresses are refused, "
        "also on redirects.";
    spec.input_schema = Json::parse(R"J({
      "type": "object",
      "properties": {
        "url": {"type": "string", "description": "absolute http:// or https:// URL"},
        "format": {"type": "string", "enum": ["markdown", "text", "raw"], "default": "markdown"},
        "maxBytes": {"type": "integer", "minimum": 1, "maximum": 10485760, "default": 2097152,
                     "description": "download cap; a larger body is an error"},
        "timeoutMs": {"type": "integer", "minimum": 100, "maximum": 120000, "default": 30000},
        "maxRedirects": {"type": "integer", "minimum": 0, "maximum": 10, "default": 5}
      },
      "required": ["url"]
    })J");
    spec.read_only = true;
    spec.approval = "network";
    spec.side_effects = "external";
    tools.add(std::move(spec), [&fetcher](tools::CallContext& ctx) { return fetch(ctx, fetcher); });
}

}  // namespace cowork::web
