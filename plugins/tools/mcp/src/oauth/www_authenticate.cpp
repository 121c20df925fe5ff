#include "oauth/www_authenticate.hpp"

#include <cctype>

namespace cowork::mcp::oauth {
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// RFC 9110 tchar, plus '/' (token68).
bool token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~/").find(c) != std::string_view::npos;
}

class Reader {
public:
    explicit Reader(const std::string& s) : s_(s) {}
    bool done() const { return i_ >= s_.size(); }
    void skip_space() {
        while (!done() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
    }
    void skip_separators() {
        while (!done() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == ',')) ++i_;
    }
    std::string token() {
        const size_t start = i_;
        while (!done() && token_char(s_[i_])) ++i_;
        return s_.substr(start, i_ - start);
    }
    std::string quoted() {  // at the opening quote
        std::string out;
        for (++i_; !done() && s_[i_] != '"'; ++i_) {
            if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
            out += s_[i_];
        }
        if (!done()) ++i_;
        return out;
    }
    char peek() const { return done() ? '\0' : s_[i_]; }
    size_t pos() const { return i_; }
    void seek(size_t p) { i_ = p; }
    void advance() { ++i_; }

private:
    const std::string& s_;
    size_t i_ = 0;
};

// After a scheme: auth-params until the next scheme. Returns false when the
// next thing is not a parameter (then the reader is back at its start).
bool read_param(Reader& r, Challenge& c) {
    const size_t start = r.pos();
    r.skip_separators();
    const std::string name = r.token();
    r.skip_space();
    if (name.empty() || r.peek() != '=') {
        r.seek(start);
        return false;
    }
    r.advance();
    r.skip_space();
    const std::string value = r.peek() == '"' ? r.quoted() : r.token();
    c.params.emplace(lower(name), value);
    return true;
}

}  // namespace

std::vector<Challenge> parse_www_authenticate(const std::string& header) {
    std::vector<Challenge> out;
    Reader r(header);
    while (true) {
        r.skip_separators();
        if (r.done()) break;
        Challenge c;
        c.scheme = lower(r.token());
        if (c.scheme.empty()) break;  // garbage: keep what was read
        while (read_param(r, c)) {
        }
        // A token68 ("Basic abc") is read as one more param-less scheme: harmless, only Bearer matters here.
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<std::string> split_scopes(const std::string& scope) {
    std::vector<std::string> out;
    size_t i = 0;
    while (i < scope.size()) {
        const size_t end = scope.find(' ', i);
        const std::string s = scope.substr(i, end == std::string::npos ? std::string::npos : end - i);
        if (!s.empty()) out.push_back(s);
        if (end == std::string::npos) break;
        i = end + 1;
    }
    return out;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
    std::string out;
    for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
    return out;
}

BearerChallenge bearer_challenge(const std::string& header) {
    BearerChallenge b;
    for (const auto& c : parse_www_authenticate(header)) {
        if (c.scheme != "bearer") continue;
        b.present = true;
        auto get = [&](const char* k) {
            auto it = c.params.find(k);
            return it == c.params.end() ? std::string() : it->second;
        };
        b.error = get("error");
        b.error_description = get("error_description");
        b.scopes = split_scopes(get("scope"));
        b.resource_metadata = get("resource_metadata");
        break;
    }
    return b;
}

}  // namespace cowork::mcp::oauth
