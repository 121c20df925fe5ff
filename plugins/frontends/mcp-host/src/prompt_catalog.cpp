#include "prompt_catalog.hpp"

#include "kernel_call.hpp"
#include "rpc_error.hpp"

#include <cowork/sdk/error.hpp>


namespace cowork::mcp {

Json PromptCatalog::list(const Identity& who) const {
    Json out = Json::array();
    const Json catalog = call_kernel(host_, who, "skill.list", Json::object());
    for (const auto& s : catalog.value("skills", Json::array())) {
        if (!s.value("enabled", true)) continue;
        Json args = Json::array();
        for (const auto& p : s.value("parameters", Json::array()))
            args.push_back({{"name", p.value("name", "")},
                            {"description", p.value("description", "")},
                            {"required", p.value("required", false)}});
        out.push_back({{"name", s.value("id", "")},
                       {"title", s.value("name", "")},
                       {"description", s.value("description", "")},
                       {"arguments", args}});
    }
    if (extension_.active())
        for (auto& p : extension_.list(who, "prompts/list", "prompts")) out.push_back(std::move(p));
    return out;
}

std::optional<Json> PromptCatalog::skill(const Identity& who, const std::string& id) const {
    try {
        return call_kernel(host_, who, "skill.get", {{"id", id}});
    } catch (const sdk::Error&) {
        return std::nullopt;
    }
}

Json PromptCatalog::get(const Identity& who, const std::string& name, const Json& arguments) const {
    const auto s = skill(who, name);
    if (!s) {
        if (extension_.active())
            return extension_.first(who, "prompts/get", {{"name", name}, {"arguments", arguments}}, kInvalidParams);
        throw RpcError(kInvalidParams, "unknown prompt '" + name + "'; see prompts/list");
    }
    // The kernel fills the template (skill.render), exactly as for a task,
    // and names a missing required argument.
    std::string prompt;
    try {
        prompt = call_kernel(host_, who, "skill.render", {{"id", name}, {"params", arguments}}).value("prompt", "");
    } catch (const sdk::Error& e) {
        throw RpcError(kInvalidParams, "prompt '" + name + "': " + kernel_message(e, "skill.render"));
    }
    return {{"description", s->value("description", "")},
            {"messages", Json::array({{{"role", "user"}, {"content", {{"type", "text"}, {"text", prompt}}}}})}};
}

Json PromptCatalog::complete(const Identity& who, const std::string& name, const std::string& argument,
                             const std::string& prefix) const {
    Json values = Json::array();
    const auto s = skill(who, name);
    if (!s) {
        if (!extension_.active()) return values;
        const Json r = extension_.first(
            who, "completion/complete",
            {{"ref", {{"type", "ref/prompt"}, {"name", name}}}, {"argument", {{"name", argument}, {"value", prefix}}}},
            kInvalidParams);
        return r.value("completion", Json::object()).value("values", Json::array());
    }
    for (const auto& p : s->value("parameters", Json::array()))
        if (p.value("name", "") == argument && p.contains("default") && p["default"].is_string() &&
            p["default"].get<std::string>().rfind(prefix, 0) == 0)
            values.push_back(p["default"]);
    return values;
}

}  // namespace cowork::mcp
