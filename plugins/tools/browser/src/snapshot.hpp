// snapshot.hpp — the accessibility tree as compact, indented text:
//   - textbox "Name" [ref=e3] value="Ada"
//   - button "Send" [ref=e5]
// Refs come from the tab's allocator, keyed by backendDOMNodeId, so an
// element keeps its ref across snapshots for as long as it exists.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace cowork::browser {

using Json = nlohmann::json;
using RefAllocator = std::function<std::string(int64_t backend_node_id)>;

struct SnapshotText {
    std::string text;
    size_t elements = 0;  // lines carrying a ref
};

// `nodes`: Accessibility.getFullAXTree's "nodes".
SnapshotText render_snapshot(const Json& nodes, const RefAllocator& ref_for);

}  // namespace cowork::browser
