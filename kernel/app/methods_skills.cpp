// API methods over skills: list (by precedence, with problems), get, and
// render (the one place {{placeholders}} are filled, for every frontend).
#include "app/kernel_impl.hpp"

#include "skills/catalog.hpp"

namespace cowork::kernel::app {
namespace {

skills::Catalog catalog_for(const Kernel::Impl& k, const Json& params) {
    const std::filesystem::path workspace = params.value("workspace", "");
    return skills::load_catalog(skills::standard_skill_roots(workspace, k.paths.data_dir / "skills",
                                                             executable_dir().parent_path() / "share/cowork/skills"));
}

}  // namespace

void register_skill_methods(Kernel::Impl& k) {
    using namespace api;
    (void)k.api.add({"skill.list", kScopeRead, false, "skills by precedence: workspace > user > bundled"},
                    [&k](const Caller&, const Json& p) -> Result<Json> { return catalog_for(k, p).to_json(); });
    (void)k.api.add({"skill.get", kScopeRead, false, "one skill with its prompt template"},
                    [&k](const Caller&, const Json& p) -> Result<Json> {
                        const auto catalog = catalog_for(k, p);
                        const auto* s = catalog.find(p.value("id", ""));
                        if (!s) return make_error(kInvalidParams, "no skill '" + p.value("id", "") + "' (see `cowork skills`)");
                        return s->to_json(true);
                    });
    (void)k.api.add({"skill.render", kScopeRead, false, "a skill's prompt with its parameters filled in"},
                    [&k](const Caller&, const Json& p) -> Result<Json> {
                        const auto catalog = catalog_for(k, p);
                        const auto* s = catalog.find(p.value("id", ""));
                        if (!s) return make_error(kInvalidParams, "no skill '" + p.value("id", "") + "' (see `cowork skills`)");
                        auto prompt = skills::render(*s, p.value("params", Json::object()));
                        if (!prompt) return make_error(kInvalidParams, prompt.error().message, prompt.error().details);
                        return Json{{"id", s->id}, {"prompt", *prompt}};
                    });
}

}  // namespace cowork::kernel::app
