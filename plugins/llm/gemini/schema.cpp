#include "schema.hpp"

#include <algorithm>
#include <string>

namespace cowork::llm_gemini {
namespace {

using Json = nlohmann::json;

constexpr int kMaxDepth = 16;  // also bounds $ref expansion of recursive schemas

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

bool known_type(const std::string& t) {
    return t == "string" || t == "number" || t == "integer" || t == "boolean" || t == "array" || t == "object";
}

// Gemini accepts only these formats; others (uri, email, …) are an error.
bool allowed_format(const std::string& type, const std::string& format) {
    if (type == "STRING") return format == "enum" || format == "date-time";
    if (type == "NUMBER") return format == "float" || format == "double";
    if (type == "INTEGER") return format == "int32" || format == "int64";
    return false;
}

class Converter {
public:
    explicit Converter(const Json& root) : root_(root) {}

    Json convert(const Json& s, int depth) const {
        if (!s.is_object() || depth > kMaxDepth) return Json::object();
        if (auto ref = s.find("$ref"); ref != s.end() && ref->is_string()) return convert(resolve(*ref), depth + 1);
        Json src = merged_all_of(s);
        Json out = Json::object();
        type_of(src, out, depth);
        copy(src, out, {"description", "title", "pattern", "minimum", "maximum", "minLength", "maxLength", "minItems",
                        "maxItems", "minProperties", "maxProperties", "nullable"});
        enum_of(src, out);
        if (auto f = src.find("format"); f != src.end() && f->is_string() && out.contains("type") &&
                                         allowed_format(out["type"], f->get<std::string>()))
            out["format"] = *f;
        if (auto e = src.find("examples"); e != src.end() && e->is_array() && !e->empty()) out["example"] = (*e)[0];
        properties_of(src, out, depth);
        items_of(src, out, depth);
        any_of(src, out, depth);
        return out;
    }

private:
    // Only local references into $defs / definitions can be followed.
    Json resolve(const Json& ref) const {
        const std::string r = ref.get<std::string>();
        for (const char* prefix : {"#/$defs/", "#/definitions/"}) {
            const std::string p = prefix;
            if (r.rfind(p, 0) != 0) continue;
            const std::string section = p.substr(2, p.size() - 3);
            const std::string name = r.substr(p.size());
            if (root_.contains(section) && root_[section].contains(name)) return root_[section][name];
        }
        return Json::object();
    }

    // allOf of object schemas: their properties and required lists united.
    static Json merged_all_of(const Json& s) {
        auto all = s.find("allOf");
        if (all == s.end() || !all->is_array()) return s;
        Json out = s;
        out.erase("allOf");
        for (const auto& part : *all) {
            if (!part.is_object()) continue;
            for (const auto& [k, v] : part.items()) {
                if (k == "properties" && v.is_object()) {
                    for (const auto& [pk, pv] : v.items()) out["properties"][pk] = pv;
                } else if (k == "required" && v.is_array()) {
                    for (const auto& r : v) out["required"].push_back(r);
                } else if (!out.contains(k)) {
                    out[k] = v;
                }
            }
        }
        return out;
    }

    // "type": ["string","null"] → STRING + nullable; several real types
    // become anyOf alternatives.
    void type_of(const Json& src, Json& out, int depth) const {
        const Json t = src.value("type", Json());
        std::vector<std::string> types;
        if (t.is_string()) types.push_back(t.get<std::string>());
        if (t.is_array())
            for (const auto& x : t)
                if (x.is_string()) types.push_back(x.get<std::string>());
        if (std::erase(types, std::string("null")) > 0) out["nullable"] = true;
        std::erase_if(types, [](const std::string& x) { return !known_type(x); });
        if (types.size() == 1) {
            out["type"] = upper(types[0]);
        } else if (types.size() > 1) {
            Json alts = Json::array();
            for (const auto& x : types) {
                Json alt = src;
                alt["type"] = x;
                alts.push_back(convert(alt, depth + 1));
            }
            out["anyOf"] = alts;
        } else if (src.contains("properties")) {
            out["type"] = "OBJECT";
        } else if (src.contains("items")) {
            out["type"] = "ARRAY";
        }
    }

    static void copy(const Json& src, Json& out, std::initializer_list<const char*> keys) {
        for (const char* k : keys)
            if (src.contains(k)) out[k] = src[k];
    }

    // Gemini enums are strings; `const` is a one-value enum.
    static void enum_of(const Json& src, Json& out) {
        Json values = Json::array();
        if (auto e = src.find("enum"); e != src.end() && e->is_array())
            for (const auto& v : *e)
                if (v.is_string()) values.push_back(v);
        if (auto c = src.find("const"); c != src.end() && c->is_string()) values.push_back(*c);
        if (values.empty()) return;
        out["enum"] = values;
        if (!out.contains("type")) out["type"] = "STRING";
        if (out["type"] == "STRING") out["format"] = "enum";
    }

    void properties_of(const Json& src, Json& out, int depth) const {
        auto props = src.find("properties");
        if (props == src.end() || !props->is_object()) return;
        Json converted = Json::object();
        for (const auto& [name, sub] : props->items()) converted[name] = convert(sub, depth + 1);
        if (converted.empty()) return;
        out["properties"] = converted;
        // A required name without a property is an error for Gemini.
        Json required = Json::array();
        for (const auto& r : src.value("required", Json::array()))
            if (r.is_string() && converted.contains(r.get<std::string>())) required.push_back(r);
        if (!required.empty()) out["required"] = required;
    }

    void items_of(const Json& src, Json& out, int depth) const {
        auto items = src.find("items");
        if (items == src.end()) return;
        if (items->is_object()) out["items"] = convert(*items, depth + 1);
        else if (items->is_array() && !items->empty()) out["items"] = convert((*items)[0], depth + 1);  // tuples: first shape
    }

    // oneOf reads as anyOf (Gemini has no exclusive choice); a null
    // alternative becomes `nullable`.
    void any_of(const Json& src, Json& out, int depth) const {
        for (const char* key : {"anyOf", "oneOf"}) {
            auto alts = src.find(key);
            if (alts == src.end() || !alts->is_array()) continue;
            Json converted = Json::array();
            for (const auto& a : *alts) {
                if (a.is_object() && a.value("type", Json()) == "null") {
                    out["nullable"] = true;
                    continue;
                }
                converted.push_back(convert(a, depth + 1));
            }
            if (converted.size() == 1 && !out.contains("type")) {
                for (const auto& [k, v] : converted[0].items())
                    if (!out.contains(k)) out[k] = v;
            } else if (!converted.empty()) {
                out["anyOf"] = converted;
            }
        }
    }

    const Json& root_;
};

}  // namespace

Json to_gemini_schema(const Json& json_schema) {
    if (!json_schema.is_object()) return nullptr;
    Json out = Converter(json_schema).convert(json_schema, 0);
    if (out.value("type", "") == "OBJECT" && !out.contains("properties")) return nullptr;
    if (out.empty()) return nullptr;
    return out;
}

}  // namespace cowork::llm_gemini
