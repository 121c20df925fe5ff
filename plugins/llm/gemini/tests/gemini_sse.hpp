// Canned Gemini responses in the documented wire format (alt=sse streams
// are one GenerateContentResponse per `data:` line).
#pragma once

#include <string>

namespace cowork::llm_gemini::testing {

// One event per response: a line break would end the `data:` line, so the
// (pretty-printed) fixture JSON is flattened first.
inline std::string data(std::string json) {
    for (auto& c : json)
        if (c == '\n') c = ' ';
    return "data: " + json + "\r\n\r\n";
}

inline std::string text_chunk(const std::string& text) {
    return data(R"({"candidates":[{"content":{"parts":[{"text":")" + text +
                R"("}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":1200,"totalTokenCount":1200},"modelVersion":"gemini-2.5-flash"})");
}

inline std::string final_chunk(const std::string& finish = "STOP") {
    return data(R"({"candidates":[{"content":{"parts":[{"text":""}],"role":"model"},"finishReason":")" + finish +
                R"(","index":0}],"usageMetadata":{"promptTokenCount":1200,"cachedContentTokenCount":200,"candidatesTokenCount":80,"thoughtsTokenCount":20,"totalTokenCount":1300},"modelVersion":"gemini-2.5-flash"})");
}

// Two parallel calls in one chunk, the first with a thought signature.
inline std::string calls_chunk() {
    return data(R"({"candidates":[{"content":{"parts":[
        {"functionCall":{"name":"tool_files_read_file","args":{"path":"a.md"}},"thoughtSignature":"c2ln"},
        {"functionCall":{"name":"tool_files_read_file","args":{"path":"b.md"}}}],"role":"model"},
        "finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":50,"candidatesTokenCount":10,"totalTokenCount":60},"modelVersion":"gemini-2.5-flash"})");
}

inline std::string error_chunk(const std::string& status, int code, const std::string& message) {
    return data(R"({"error":{"code":)" + std::to_string(code) + R"(,"message":")" + message + R"(","status":")" + status + "\"}}");
}

}  // namespace cowork::llm_gemini::testing
