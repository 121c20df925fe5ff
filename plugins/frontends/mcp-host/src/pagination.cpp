#include "pagination.hpp"

#include "rpc_error.hpp"

#include <charconv>

namespace cowork::mcp {
namespace {

constexpr std::string_view kPrefix = "cowork-offset:";

size_t offset_of(const Json& params) {
    if (!params.contains("cursor") || params["cursor"].is_null()) return 0;
    const Json& c = params["cursor"];
    const std::string s = c.is_string() ? c.get<std::string>() : "";
    size_t offset = 0;
    const char* begin = s.data() + std::min(s.size(), kPrefix.size());
    const char* end = s.data() + s.size();
    if (s.rfind(kPrefix, 0) != 0 || begin == end || std::from_chars(begin, end, offset).ptr != end)
        throw RpcError(kInvalidParams, "invalid cursor: pass back the nextCursor of the previous page unchanged");
    return offset;
}

}  // namespace

Json paginate(const Json& items, const Json& params, size_t page_size, const std::string& key) {
    const size_t offset = offset_of(params);
    Json page = Json::array();
    for (size_t i = offset; i < items.size() && page.size() < page_size; ++i) page.push_back(items[i]);
    Json out{{key, page}};
    if (offset + page.size() < items.size()) out["nextCursor"] = std::string(kPrefix) + std::to_string(offset + page.size());
    return out;
}

}  // namespace cowork::mcp
