#include "snapshot.hpp"

#include <map>
#include <set>

namespace cowork::browser {
namespace {

constexpr size_t kMaxName = 200;
constexpr int kMaxDepth = 200;

std::string ax_value(const Json& node, const char* key) {
    if (!node.contains(key)) return "";
    const Json& v = node[key].value("value", Json());
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return "";
    return v.dump();
}

std::string quoted(std::string s) {
    for (auto& c : s)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (s.size() > kMaxName) s = s.substr(0, kMaxName) + "…";
    std::string out = "\"";
    for (char c : s) out += (c == '"') ? std::string("\\\"") : std::string(1, c);
    return out + "\"";
}

// Containers that carry no meaning of their own are flattened away.
bool transparent(const std::string& role, const std::string& name) {
    static const std::set<std::string> roles{"generic", "none", "GenericContainer", "presentation", "InlineTextBox", "LineBreak"};
    return roles.count(role) && name.empty();
}

// The states worth showing to a model deciding what to do next.
std::string states(const Json& node) {
    std::string out;
    const std::string value = ax_value(node, "value");
    if (!value.empty()) out += " value=" + quoted(value);
    for (const auto& p : node.value("properties", Json::array())) {
        const std::string name = p.value("name", "");
        const Json v = p.contains("value") ? p["value"].value("value", Json()) : Json();
        if ((name == "checked" || name == "pressed") && v.is_string() && v != "false") out += " " + name + "=" + v.get<std::string>();
        else if ((name == "disabled" || name == "focused" || name == "required" || name == "selected" || name == "expanded" ||
                  name == "readonly") && v == true)
            out += " " + name;
        else if (name == "level" && v.is_number()) out += " level=" + v.dump();
    }
    return out;
}

struct Renderer {
    std::map<std::string, const Json*> by_id;
    const RefAllocator& ref_for;
    SnapshotText out;

    void visit(const Json& node, int depth, const std::string& parent_name) {
        if (depth > kMaxDepth) return;
        std::string role = ax_value(node, "role");
        const std::string name = ax_value(node, "name");
        const bool skip = node.value("ignored", false) || transparent(role, name) ||
                          (role == "StaticText" && (name.empty() || name == parent_name));
        int child_depth = depth;
        if (!skip) {
            if (role == "RootWebArea") role = "document";
            std::string line(static_cast<size_t>(depth) * 2, ' ');
            line += "- " + (role == "StaticText" ? std::string("text") : role);
            if (!name.empty()) line += " " + quoted(name);
            if (role != "StaticText" && node.contains("backendDOMNodeId")) {
                line += " [ref=" + ref_for(node["backendDOMNodeId"].get<int64_t>()) + "]";
                ++out.elements;
            }
            out.text += line + states(node) + "\n";
            child_depth = depth + 1;
        }
        for (const auto& id : node.value("childIds", Json::array())) {
            auto it = by_id.find(id.get<std::string>());
            if (it != by_id.end()) visit(*it->second, child_depth, skip ? parent_name : name);
        }
    }
};

}  // namespace

SnapshotText render_snapshot(const Json& nodes, const RefAllocator& ref_for) {
    Renderer r{{}, ref_for, {}};
    if (!nodes.is_array() || nodes.empty()) return r.out;
    for (const auto& n : nodes) r.by_id[n.value("nodeId", "")] = &n;
    // Roots: nodes nobody lists as a child (normally just the RootWebArea).
    std::set<std::string> children;
    for (const auto& n : nodes)
        for (const auto& c : n.value("childIds", Json::array())) children.insert(c.get<std::string>());
    for (const auto& n : nodes)
        if (!children.count(n.value("nodeId", ""))) r.visit(n, 0, "");
    return r.out;
}

}  // namespace cowork::browser
