#include "jsonrpc.hpp"

namespace cowork::mcp {

Message classify(const Json& v) {
    Message m;
    if (!v.is_object()) {
        m.problem = v.is_array() ? "batches are not supported (MCP 2025-06-18 removed them); send one message per request"
                                 : "a JSON-RPC message is a JSON object";
        return m;
    }
    if (v.value("jsonrpc", "") != "2.0") {
        m.problem = "\"jsonrpc\" must be \"2.0\"";
        if (v.contains("id") && (v["id"].is_string() || v["id"].is_number_integer())) m.id = v["id"];
        return m;
    }
    const bool has_id = v.contains("id");
    if (has_id) {
        if (!v["id"].is_string() && !v["id"].is_number_integer()) {
            m.problem = "\"id\" must be a string or an integer";
            return m;
        }
        m.id = v["id"];
    }
    if (v.contains("method")) {
        if (!v["method"].is_string()) {
            m.problem = "\"method\" must be a string";
            return m;
        }
        m.method = v["method"].get<std::string>();
        if (v.contains("params")) {
            if (!v["params"].is_object()) {
                m.problem = "\"params\" must be an object";
                return m;
            }
            m.params = v["params"];
        }
        m.kind = has_id ? Kind::request : Kind::notification;
        return m;
    }
    if (has_id && (v.contains("result") || v.contains("error"))) {
        m.kind = Kind::response;
        m.result = v.value("result", Json());
        m.error = v.value("error", Json());
        return m;
    }
    m.problem = "not a request, notification or response (no \"method\", no \"result\"/\"error\")";
    return m;
}

Json result(const Json& id, Json r) { return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(r)}}; }

Json error(const Json& id, int code, const std::string& message, const Json& data) {
    Json e{{"code", code}, {"message", message}};
    if (!data.is_null()) e["data"] = data;
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(e)}};
}

Json notification(const std::string& method, Json params) {
    return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace cowork::mcp
