#include "resource_catalog.hpp"

#include "kernel_call.hpp"
#include "rpc_error.hpp"

#include <cowork/sdk/error.hpp>

namespace cowork::mcp {
namespace {

constexpr std::string_view kWorkspaces = "cowork://workspaces";
constexpr std::string_view kTasks = "cowork://tasks";
constexpr int kListedTasks = 50;

Json resource(const std::string& uri, const std::string& name, const std::string& title, const std::string& description) {
    return {{"uri", uri}, {"name", name}, {"title", title}, {"description", description}, {"mimeType", "application/json"}};
}

// "cowork://tasks/abc/events" with prefix "cowork://tasks/" → "abc/events".
std::optional<std::string> after(const std::string& uri, std::string_view prefix) {
    if (uri.size() <= prefix.size() || uri.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
    return uri.substr(prefix.size());
}

}  // namespace

Json ResourceCatalog::list(const Identity& who) const {
    Json out = Json::array({resource(std::string(kWorkspaces), "workspaces", "Workspaces", "registered CoWork workspaces"),
                            resource(std::string(kTasks), "tasks", "Tasks", "recent CoWork agent tasks, newest first")});
    for (const auto& w : call_kernel(host_, who, "workspace.list", Json::object()))
        out.push_back(resource(std::string(kWorkspaces) + "/" + w.value("id", ""), "workspace " + w.value("name", ""),
                               w.value("name", ""), "CoWork workspace"));
    for (const auto& t : call_kernel(host_, who, "task.list", {{"limit", kListedTasks}})) {
        const std::string id = t.value("id", "");
        const std::string title = t.value("title", id);
        out.push_back(resource(std::string(kTasks) + "/" + id, "task " + id, title.empty() ? id : title,
                               "CoWork task (" + t.value("status", "") + ")"));
    }
    if (extension_.active())
        for (auto& r : extension_.list(who, "resources/list", "resources")) out.push_back(std::move(r));
    return out;
}

Json ResourceCatalog::templates(const Identity& who) const {
    auto tmpl = [](const std::string& uri, const std::string& name, const std::string& description) {
        return Json{{"uriTemplate", uri}, {"name", name}, {"description", description}, {"mimeType", "application/json"}};
    };
    Json out = Json::array({tmpl("cowork://workspaces/{id}", "workspace", "one workspace by id"),
                            tmpl("cowork://tasks/{id}", "task", "one task by id"),
                            tmpl("cowork://tasks/{id}/events", "task-events", "a task's journal (events in order)")});
    if (extension_.active())
        for (auto& t : extension_.list(who, "resources/templates/list", "resourceTemplates")) out.push_back(std::move(t));
    return out;
}

Json ResourceCatalog::json_contents(const std::string& uri, const Json& doc) const {
    return {{"contents", Json::array({{{"uri", uri}, {"mimeType", "application/json"}, {"text", doc.dump(2)}}})}};
}

Json ResourceCatalog::read(const Identity& who, const std::string& uri) const {
    if (uri.rfind("cowork://", 0) != 0) {
        if (!extension_.active()) throw RpcError(kResourceNotFound, "resource not found: " + uri, {{"uri", uri}});
        return extension_.first(who, "resources/read", {{"uri", uri}}, kResourceNotFound);
    }
    try {
        if (uri == kWorkspaces) return json_contents(uri, call_kernel(host_, who, "workspace.list", Json::object()));
        if (uri == kTasks) return json_contents(uri, call_kernel(host_, who, "task.list", {{"limit", 100}}));
        if (auto id = after(uri, std::string(kWorkspaces) + "/"); id && id->find('/') == std::string::npos)
            return json_contents(uri, call_kernel(host_, who, "workspace.get", {{"id", *id}}));
        if (auto rest = after(uri, std::string(kTasks) + "/")) {
            const auto slash = rest->find('/');
            if (slash == std::string::npos) return json_contents(uri, call_kernel(host_, who, "task.get", {{"id", *rest}}));
            if (rest->substr(slash) == "/events")
                return json_contents(uri, call_kernel(host_, who, "task.events", {{"id", rest->substr(0, slash)}}));
        }
    } catch (const sdk::Error& e) {
        throw RpcError(kResourceNotFound, "resource not found: " + uri + " (" + e.what() + ")", {{"uri", uri}});
    }
    throw RpcError(kResourceNotFound, "resource not found: " + uri + "; see resources/list and resources/templates/list",
                   {{"uri", uri}});
}

Json ResourceCatalog::complete(const Identity& who, const std::string& uri_template, const std::string& argument,
                               const std::string& prefix) const {
    Json values = Json::array();
    if (argument != "id") return values;
    Json items;
    if (uri_template == "cowork://workspaces/{id}") items = call_kernel(host_, who, "workspace.list", Json::object());
    else if (uri_template.rfind("cowork://tasks/{id}", 0) == 0) items = call_kernel(host_, who, "task.list", {{"limit", 100}});
    else return values;
    for (const auto& i : items) {
        const std::string id = i.value("id", "");
        if (id.rfind(prefix, 0) == 0) values.push_back(id);
    }
    return values;
}

}  // namespace cowork::mcp
