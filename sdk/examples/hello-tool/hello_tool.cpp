// The SDK example: one tool, `greet`, that uses the kernel's config, log and
// scoped storage services. Builds with only find_package(CoworkSDK).
#include <cowork/sdk.hpp>

#include <string>

namespace {

using cowork::sdk::Events;
using cowork::sdk::Json;

class HelloTool final : public cowork::sdk::Plugin, public cowork::sdk::ToolProvider {
public:
    using Plugin::Plugin;

    void init() override {
        greeting_ = host().config().value("greeting", std::string("Hello"));
        table_ = host().table_prefix() + "greetings";
        host().migrate(Json::array({{{"version", 1},
                                      {"sql", "CREATE TABLE " + table_ + " (name TEXT PRIMARY KEY, count INTEGER NOT NULL)"}}}));
        host().info("hello tool ready");
    }

    Json list_tools(const Json&, Events&) override {
        return {{"tools",
                 Json::array({{{"name", "greet"},
                               {"description", "Greet someone by name; says how many times they were greeted."},
                               {"inputSchema",
                                {{"type", "object"},
                                 {"properties", {{"name", {{"type", "string"}, {"minLength", 1}}}}},
                                 {"required", Json::array({"name"})}}},
                               {"annotations", {{"readOnly", false}, {"sideEffects", "local"}}}}})}};
    }

    Json call_tool(const Json& request, Events& events) override {
        if (request.value("name", "") != "greet") throw cowork::sdk::not_found("no tool " + request.value("name", ""));
        const auto& args = request.value("arguments", Json::object());
        const std::string who = args.value("name", "");
        if (who.empty()) throw cowork::sdk::invalid("greet: 'name' is required");
        events.emit({{"type", "progress"}, {"progress", 0.5}});
        host().exec("INSERT INTO " + table_ + " (name, count) VALUES (?, 1) "
                    "ON CONFLICT(name) DO UPDATE SET count = count + 1",
                    Json::array({who}));
        const auto rows = host().exec("SELECT count FROM " + table_ + " WHERE name = ?", Json::array({who}));
        const int count = rows["rows"].at(0).value("count", 0);
        const std::string text = greeting_ + ", " + who + "! (greeting #" + std::to_string(count) + ")";
        return {{"content", Json::array({{{"type", "text"}, {"text", text}}})}, {"isError", false}};
    }

private:
    std::string greeting_;
    std::string table_;
};

}  // namespace

COWORK_PLUGIN(HelloTool, "tool.hello", "1.0.0");
