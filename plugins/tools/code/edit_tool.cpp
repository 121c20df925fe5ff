// edit_file: read through the confinement, apply_edit, write back atomically
// in the same confined directory (no symlinks anywhere in the path).
#include "code_tools.hpp"
#include "cowork_tools/atomic_write.hpp"
#include "cowork_tools/binary_detect.hpp"
#include "cowork_tools/tool_failure.hpp"
#include "text_edit.hpp"

#include <fcntl.h>

namespace cowork::tools::code {
namespace {

constexpr size_t kMaxEditBytes = 16u << 20;

Json edit_file(CallContext& ctx) {
    const auto path = ctx.args.string_any({"file_path", "path"});
    if (!path) throw sdk::invalid("edit_file: argument 'file_path' is required");
    EditRequest req;
    req.old_string = ctx.args.required_string("old_string");
    req.new_string = ctx.args.required_string("new_string");
    req.replace_all = ctx.args.boolean("replace_all", false);
    if (req.old_string.empty())
        throw sdk::invalid("edit_file: old_string must not be empty; use write_file to create or overwrite a file");
    if (req.old_string == req.new_string) throw sdk::invalid("edit_file: old_string and new_string are identical");

    const Resolved r = ctx.fs.resolve(*path, kForWrite);
    std::string content;
    {
        const UniqueFd fd = ctx.fs.open_regular(r, O_RDONLY);
        content = read_all(fd.get(), kMaxEditBytes + 1);
    }
    if (content.size() > kMaxEditBytes) throw ToolFailure("'" + r.display + "' is larger than 16 MiB; edit it in pieces with a script");
    if (looks_binary(std::string_view(content).substr(0, kBinarySniffBytes)))
        throw ToolFailure("'" + r.display + "' looks binary; edit_file only changes text files");

    const EditOutcome edit = apply_edit(content, req);
    if (edit.status == EditOutcome::Status::not_found)
        return error_result("old_string not found in '" + r.display +
                            "'; read the file first — whitespace, indentation and line endings must match exactly");
    if (edit.status == EditOutcome::Status::ambiguous)
        return error_result("found " + std::to_string(edit.matches) + " matches of old_string in '" + r.display +
                            "'; add surrounding context to make it unique, or pass replace_all=true");
    atomic_write(r.parent.get(), r.name, r.display, std::string_view(edit.text));
    const size_t replaced = req.replace_all ? edit.matches : 1;
    return text_result("edited '" + r.display + "': " + std::to_string(replaced) + " replacement" +
                           (replaced == 1 ? "" : "s") + " (first at line " + std::to_string(edit.first_line) + ")" +
                           (edit.translated_crlf ? "; line endings kept as CRLF" : ""),
                       Json{{"path", r.display}, {"replacements", replaced}, {"firstLine", edit.first_line},
                            {"crlf", edit.translated_crlf}});
}

}  // namespace

void add_edit_tool(ToolSet& tools) {
    tools.add({"edit_file",
               "Replace an exact string in a text file. old_string must occur exactly once (include surrounding lines "
               "to make it unique) unless replace_all is true. CRLF files stay CRLF. The write is atomic.",
               {{"type", "object"},
                {"properties",
                 {{"file_path", {{"type", "string"}, {"description", "relative to the workspace"}}},
                  {"old_string", {{"type", "string"}, {"description", "exact text to replace"}}},
                  {"new_string", {{"type", "string"}}},
                  {"replace_all", {{"type", "boolean"}}}}},
                {"required", Json::array({"file_path", "old_string", "new_string"})},
                {"additionalProperties", false}},
               false, "serial", "write", "local"},
              edit_file);
}

}  // namespace cowork::tools::code
