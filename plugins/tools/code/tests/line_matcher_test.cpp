#include "cowork_tools/tool_failure.hpp"
#include "line_matcher.hpp"
#include "text_edit.hpp"

#include <gtest/gtest.h>

#include <vector>

using namespace cowork::tools::code;

namespace {
std::vector<std::string> matching_lines(const std::string& pattern, const std::string& text, MatchOptions o = {}) {
    LineMatcher m(pattern, o);
    std::vector<std::string> out;
    m.scan(text, [&](size_t b, size_t e) {
        out.push_back(text.substr(b, e - b));
        return true;
    });
    return out;
}
}  // namespace

TEST(LineMatcher, RequiredLiteralExtraction) {
    EXPECT_EQ(required_literal_of("foo.*barbaz"), "barbaz");
    EXPECT_EQ(required_literal_of("ab*c"), "a");
    EXPECT_EQ(required_literal_of("abc+d"), "abc");
    EXPECT_EQ(required_literal_of("foo|bar"), "");
    EXPECT_EQ(required_literal_of("(x|y)hello"), "hello");
    EXPECT_EQ(required_literal_of("[abc]+xyz\\.h"), "xyz.h");
    EXPECT_EQ(required_literal_of("\\w+"), "");
}

TEST(LineMatcher, LiteralRegexAndCaseFolding) {
    const std::string text = "int main() {\n  return 42;\n}\nMAIN again\n";
    EXPECT_EQ(matching_lines("main", text), (std::vector<std::string>{"int main() {"}));
    EXPECT_EQ(matching_lines("main", text, {true, false}).size(), 2u);
    EXPECT_EQ(matching_lines("return [0-9]+;", text), (std::vector<std::string>{"  return 42;"}));
    EXPECT_EQ(matching_lines("\\d\\d", text), (std::vector<std::string>{"  return 42;"}));
    EXPECT_EQ(matching_lines("^}$", text), (std::vector<std::string>{"}"}));
    EXPECT_EQ(matching_lines("main()", text, {false, true}).size(), 1u);  // fixed string: parens literal
}

TEST(LineMatcher, AnchorsWorkPerLineWithPrefilter) {
    const std::string text = "xfoo\nfoo\r\nbarfoo\n";
    EXPECT_EQ(matching_lines("^foo$", text), (std::vector<std::string>{"foo\r"}));
}

TEST(LineMatcher, InvalidRegexIsReportedClearly) {
    try {
        LineMatcher m("foo(bar", {});
        FAIL() << "should not compile";
    } catch (const cowork::tools::ToolFailure& f) {
        const std::string what = f.what();
        EXPECT_NE(what.find("invalid regular expression 'foo(bar'"), std::string::npos) << what;
        EXPECT_NE(what.find("fixedStrings"), std::string::npos);
    }
}

TEST(TextEdit, UniqueNoneMultipleReplaceAll) {
    EXPECT_EQ(apply_edit("a b a", {"b", "B", false}).text, "a B a");
    EXPECT_EQ(apply_edit("a b a", {"z", "Z", false}).status, EditOutcome::Status::not_found);
    const auto many = apply_edit("a b a", {"a", "A", false});
    EXPECT_EQ(many.status, EditOutcome::Status::ambiguous);
    EXPECT_EQ(many.matches, 2u);
    EXPECT_EQ(apply_edit("a b a", {"a", "A", true}).text, "A b A");
    EXPECT_EQ(apply_edit("x\ny\nz", {"z", "Z", false}).first_line, 3u);
}

TEST(TextEdit, CrlfFilesStayCrlf) {
    const auto out = apply_edit("one\r\ntwo\r\nthree\r\n", {"one\ntwo\n", "uno\ndos\n", false});
    EXPECT_EQ(out.status, EditOutcome::Status::ok);
    EXPECT_TRUE(out.translated_crlf);
    EXPECT_EQ(out.text, "uno\r\ndos\r\nthree\r\n");
    EXPECT_EQ(apply_edit("a\nb\n", {"a\n", "c\n", false}).text, "c\nb\n");  // LF file untouched
}
