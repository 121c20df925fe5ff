#include "result_content.hpp"

namespace cowork::mcp {
namespace {

std::string str(const Json& j, const char* key) {
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// Cuts at a UTF-8 boundary so the JSON we emit stays valid text.
std::string cut_utf8(const std::string& s, size_t n) {
    if (n >= s.size()) return s;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

// Builds the CoWork content array within a byte budget.
class Builder {
public:
    explicit Builder(size_t max_bytes) : left_(max_bytes), max_(max_bytes) {}

    void text(const std::string& t) {
        if (t.size() <= left_) {
            left_ -= t.size();
            content_.push_back({{"type", "text"}, {"text", t}});
            return;
        }
        cut_ += t.size() - left_;
        if (left_ > 0) content_.push_back({{"type", "text"}, {"text", cut_utf8(t, left_)}});
        left_ = 0;
    }

    // A binary part: described in text, its data kept only if it fits.
    void binary(const Json& part, const std::string& description) {
        text(description);
        const std::string data = str(part, "data").empty() ? str(part, "blob") : str(part, "data");
        if (data.size() <= left_) {
            left_ -= data.size();
            content_.push_back(part);
        } else {
            cut_ += data.size();
        }
    }

    Json finish(bool is_error) {
        if (cut_ > 0)
            content_.push_back({{"type", "text"},
                                {"text", "[truncated: " + std::to_string(cut_) + " bytes over the " + std::to_string(max_) +
                                             "-byte limit were dropped; raise max_result_bytes for this server to see more]"}});
        return {{"content", content_}, {"isError", is_error}};
    }

private:
    Json content_ = Json::array();
    size_t left_;
    size_t max_;
    size_t cut_ = 0;
};

std::string approx_size(const std::string& base64) { return std::to_string(base64.size() * 3 / 4) + " bytes"; }

void add_resource(Builder& b, const Json& r) {
    const std::string uri = str(r, "uri");
    if (r.contains("text")) {
        b.text("[resource " + uri + (str(r, "mimeType").empty() ? "" : " (" + str(r, "mimeType") + ")") + "]\n" + str(r, "text"));
    } else {
        b.binary({{"type", "resource"}, {"resource", r}, {"blob", str(r, "blob")}},
                 "[binary resource " + uri + ", " + str(r, "mimeType") + ", " + approx_size(str(r, "blob")) + "]");
    }
}

void add_part(Builder& b, const Json& part) {
    const std::string type = str(part, "type");
    if (type == "text") return b.text(str(part, "text"));
    if (type == "image" || type == "audio")
        return b.binary(part, "[" + type + ": " + str(part, "mimeType") + ", " + approx_size(str(part, "data")) + "]");
    if (type == "resource_link") {
        std::string line = "[resource link: " + (str(part, "name").empty() ? str(part, "uri") : str(part, "name")) + " <" +
                           str(part, "uri") + ">";
        if (!str(part, "mimeType").empty()) line += " " + str(part, "mimeType");
        if (!str(part, "description").empty()) line += " — " + str(part, "description");
        return b.text(line + "]");
    }
    if (type == "resource" && part.contains("resource")) return add_resource(b, part["resource"]);
    b.text("[unsupported content type '" + type + "']");
}

}  // namespace

Json tool_result_from_mcp(const Json& r, size_t max_bytes) {
    Builder b(max_bytes);
    const bool is_error = r.is_object() && r.value("isError", false);
    bool any_text = false;
    if (r.is_object() && r.contains("content") && r["content"].is_array())
        for (const auto& part : r["content"]) {
            any_text = any_text || str(part, "type") == "text";
            add_part(b, part);
        }
    const bool structured = r.is_object() && r.contains("structuredContent") && !r["structuredContent"].is_null();
    // Older servers put structured results only in text; newer ones may send
    // only structuredContent: the model still needs to read it.
    if (structured && !any_text) b.text(r["structuredContent"].dump());
    Json out = b.finish(is_error);
    if (structured && r["structuredContent"].dump().size() <= max_bytes) out["data"] = r["structuredContent"];
    return out;
}

Json resource_read_result(const Json& r, size_t max_bytes) {
    Builder b(max_bytes);
    if (r.is_object() && r.contains("contents") && r["contents"].is_array())
        for (const auto& c : r["contents"]) add_resource(b, c);
    return b.finish(false);
}

Json prompt_result(const Json& r, size_t max_bytes) {
    Builder b(max_bytes);
    if (!str(r, "description").empty()) b.text(str(r, "description"));
    if (r.is_object() && r.contains("messages") && r["messages"].is_array())
        for (const auto& m : r["messages"]) {
            b.text("[" + str(m, "role") + "]");
            if (m.contains("content")) add_part(b, m["content"]);
        }
    return b.finish(false);
}

}  // namespace cowork::mcp
