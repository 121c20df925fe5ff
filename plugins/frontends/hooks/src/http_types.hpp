// http_types.hpp — a request and a response as the endpoints see them.
// Beast stays in http_server.cpp; everything else works on these.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cowork::hooks {

using Json = nlohmann::json;

// What is known once the header has arrived, before any body byte is read.
struct Head {
    std::string method;                          // "POST"
    std::string path;                            // target without the query string
    std::map<std::string, std::string> headers;  // lower-case names; repeated fields joined with ", "
    std::string remote;                          // peer address
    std::optional<uint64_t> content_length;      // absent for chunked bodies

    std::string header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct Request {
    Head head;
    std::string body;
};

struct Response {
    int status = 200;
    Json body = Json::object();
    std::vector<std::pair<std::string, std::string>> headers;  // extra fields, e.g. Allow
};

}  // namespace cowork::hooks
