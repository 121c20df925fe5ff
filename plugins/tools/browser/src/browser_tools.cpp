#include "browser_tools.hpp"

#include "capture.hpp"
#include "input_actions.hpp"
#include "snapshot.hpp"

#include <cowork/sdk/error.hpp>
#include <cowork_tools/tool_failure.hpp>

#include <chrono>
#include <set>

namespace cowork::browser {
using tools::CallContext;
using tools::ToolSpec;
using tools::text_result;

namespace {

using Handler = std::function<Json(CallContext&, Tab&)>;

const Json kRef = {{"type", "string"}, {"description", "element ref from snapshot, e.g. \"e12\""}};
const Json kSelector = {{"type", "string"}, {"description", "CSS selector (when no ref)"}};
const Json kTimeout = {{"type", "integer"}, {"minimum", 1}, {"maximum", 120000}, {"description", "milliseconds (default 30000)"}};
const Json kWaitUntil = {{"enum", {"load", "domcontentloaded", "networkidle"}}, {"default", "load"}};

Json schema(Json properties, Json required = Json::array()) {
    return {{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}
Json with_target(Json properties) {
    properties["ref"] = kRef;
    properties["selector"] = kSelector;
    return properties;
}

ElementTarget target_of(const tools::Arguments& a) { return {a.string("ref"), a.string("selector")}; }
ElementTarget required_target(const tools::Arguments& a) {
    ElementTarget t = target_of(a);
    if (t.empty()) throw sdk::invalid("give 'ref' (from snapshot) or 'selector'");
    return t;
}
milliseconds timeout_of(const tools::Arguments& a) { return milliseconds(a.integer("timeout", 30000, 1, 120000)); }

std::string capped(std::string text) {
    if (tools::truncate_text(text)) text += "\n[cut at 256 KiB: narrow it with a ref or selector]";
    return text;
}

// Title and URL after anything that may have navigated.
Json page_state(BrowserSession& s, Tab& tab) {
    const Json v = evaluate(s, tab, "({url: location.href, title: document.title})", std::chrono::seconds(10))["value"];
    return {{"tab", tab.short_id}, {"url", v.value("url", "")}, {"title", v.value("title", "")}};
}

std::string stamp() {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count());
}

struct Registrar {
    tools::ToolSet& set;
    BrowserSession& session;
    std::mutex& mutex;

    // Wraps a handler: serialize, start the browser, prefix a restart note.
    void add(ToolSpec spec, Handler handler) {
        spec.concurrency = "serial";
        // Capture what the handler needs, not the Registrar: it is a temporary.
        set.add(std::move(spec), [&session = session, &mutex = mutex, handler](CallContext& ctx) -> Json {
            std::lock_guard lock(mutex);
            const std::string note = session.ensure_started();
            Json result = handler(ctx, session.current());
            if (!note.empty()) result["content"][0]["text"] = note + "\n" + result["content"][0]["text"].get<std::string>();
            return result;
        });
    }
};

void add_navigation(Registrar& r) {
    BrowserSession& s = r.session;
    r.add({"navigate", "Open a URL in the current tab and wait for it to load. Only http/https (and about:blank); local, private and metadata addresses are refused unless configured.",
           schema({{"url", {{"type", "string"}}}, {"waitUntil", kWaitUntil}, {"timeout", kTimeout}}, {"url"}), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              s.navigate(tab, c.args.required_string("url"), parse_wait_until(c.args.string("waitUntil").value_or("load")), timeout_of(c.args));
              const Json st = page_state(s, tab);
              return text_result("Loaded " + st["url"].get<std::string>() + " — \"" + st["title"].get<std::string>() + "\" (tab " + tab.short_id + ")", st);
          });
    r.add({"back", "Go back in the current tab's history.", schema({{"timeout", kTimeout}}), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              s.history(tab, -1, timeout_of(c.args));
              const Json st = page_state(s, tab);
              return text_result("Back to " + st["url"].get<std::string>(), st);
          });
    r.add({"forward", "Go forward in the current tab's history.", schema({{"timeout", kTimeout}}), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              s.history(tab, 1, timeout_of(c.args));
              const Json st = page_state(s, tab);
              return text_result("Forward to " + st["url"].get<std::string>(), st);
          });
    r.add({"reload", "Reload the current tab.", schema({{"waitUntil", kWaitUntil}, {"timeout", kTimeout}}), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              s.reload(tab, parse_wait_until(c.args.string("waitUntil").value_or("load")), timeout_of(c.args));
              const Json st = page_state(s, tab);
              return text_result("Reloaded " + st["url"].get<std::string>(), st);
          });
}

void add_reading(Registrar& r) {
    BrowserSession& s = r.session;
    r.add({"snapshot", "The page's accessibility tree as indented text with element refs ([ref=e12]) that click, fill, select, hover, get_text and screenshot accept. Refs stay stable while the element exists.",
           schema(Json::object())},
          [&s](CallContext&, Tab& tab) {
              const Json tree = s.call(tab, "Accessibility.getFullAXTree");
              const SnapshotText snap = render_snapshot(tree.value("nodes", Json::array()), [&](int64_t id) { return tab.ref_for(id); });
              const Json st = page_state(s, tab);
              Json data = st;
              data["elements"] = snap.elements;
              return text_result(capped("Page: " + st["url"].get<std::string>() + "\nTitle: " + st["title"].get<std::string>() + "\n" + snap.text), data);
          });
    r.add({"get_text", "Visible text (innerText) of the page or of one element.", schema(with_target(Json::object()))},
          [&s](CallContext& c, Tab& tab) { return text_result(capped(get_text(s, tab, target_of(c.args)))); });
    r.add({"get_content", "HTML (outerHTML) of the page or of one element, capped at 256 KiB.", schema(with_target(Json::object()))},
          [&s](CallContext& c, Tab& tab) { return text_result(capped(get_content(s, tab, target_of(c.args)))); });
    r.add({"wait_for", "Wait until a selector is attached|detached|visible|hidden, or until text appears on the page.",
           schema({{"selector", kSelector}, {"text", {{"type", "string"}}}, {"state", {{"enum", {"attached", "detached", "visible", "hidden"}}, {"default", "visible"}}}, {"timeout", kTimeout}})},
          [&s](CallContext& c, Tab& tab) {
              const auto selector = c.args.string("selector");
              const auto text = c.args.string("text");
              if (!selector && !text) throw sdk::invalid("wait_for: give 'selector' or 'text'");
              const std::string state = c.args.string("state").value_or("visible");
              if (state != "attached" && state != "detached" && state != "visible" && state != "hidden")
                  throw sdk::invalid("wait_for: state must be attached, detached, visible or hidden");
              wait_for(s, tab, selector, text, state, timeout_of(c.args));
              return text_result(selector ? "'" + *selector + "' is " + state : "text found");
          });
    r.add({"console_logs", "Console messages, exceptions and browser log entries of the current tab (newest last).",
           schema({{"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}}}, {"clear", {{"type", "boolean"}}}})},
          [&s](CallContext& c, Tab& tab) {
              const Json logs = s.logs(tab, false, static_cast<size_t>(c.args.integer("limit", 100, 1, 10000)), c.args.boolean("clear", false));
              std::string text;
              for (const auto& e : logs["entries"]) text += "[" + e.value("level", "") + "] " + e.value("text", "") + "\n";
              return text_result(capped(text.empty() ? "(no console messages)" : text), logs);
          });
    r.add({"network_logs", "Requests of the current tab: method, URL, status, failures, and requests BLOCKED by the URL policy with the reason.",
           schema({{"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}}}, {"clear", {{"type", "boolean"}}}})},
          [&s](CallContext& c, Tab& tab) {
              const Json logs = s.logs(tab, true, static_cast<size_t>(c.args.integer("limit", 100, 1, 10000)), c.args.boolean("clear", false));
              std::string text;
              for (const auto& e : logs["entries"]) {
                  text += e.value("method", "GET") + " " + e.value("url", "");
                  if (e.contains("status")) text += " -> " + e["status"].dump();
                  if (e.contains("blocked")) text += " BLOCKED: " + e["blocked"].get<std::string>();
                  else if (e.contains("failed")) text += " failed: " + e["failed"].get<std::string>();
                  text += "\n";
              }
              return text_result(capped(text.empty() ? "(no requests)" : text), logs);
          });
}

void add_input(Registrar& r) {
    BrowserSession& s = r.session;
    r.add({"click", "Click an element (by ref or selector) with real mouse events.",
           schema(with_target({{"button", {{"enum", {"left", "right", "middle"}}, {"default", "left"}}}, {"doubleClick", {{"type", "boolean"}}}})), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              const ElementTarget t = required_target(c.args);
              const std::string button = c.args.string("button").value_or("left");
              if (button != "left" && button != "right" && button != "middle") throw sdk::invalid("click: button must be left, right or middle");
              click(s, tab, t, button, c.args.boolean("doubleClick", false) ? 2 : 1);
              return text_result("Clicked " + t.describe());
          });
    r.add({"hover", "Move the mouse over an element.", schema(with_target(Json::object())), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              const ElementTarget t = required_target(c.args);
              hover(s, tab, t);
              return text_result("Hovering " + t.describe());
          });
    r.add({"fill", "Replace the value of a text field or editable element.",
           schema(with_target({{"value", {{"type", "string"}}}}), {"value"}), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              const ElementTarget t = required_target(c.args);
              fill(s, tab, t, c.args.required_string("value"));
              return text_result("Filled " + t.describe());
          });
    r.add({"type", "Type text key by key into the focused element (or the given one); \\n presses Enter.",
           schema(with_target({{"text", {{"type", "string"}}}}), {"text"}), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              const std::string text = c.args.required_string("text");
              if (text.size() > 10000) throw sdk::invalid("type: text longer than 10000 bytes; use fill");
              type_text(s, tab, target_of(c.args), text);
              return text_result("Typed " + std::to_string(text.size()) + " bytes");
          });
    r.add({"press", "Press keys or combinations in order: \"Enter\", \"Tab\", \"Escape\", \"ArrowDown\", \"Control+a\", \"F5\", or one character.",
           schema({{"keys", {{"oneOf", {{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}}, {"keys"}), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              auto keys = c.args.strings(c.args.has("keys") ? "keys" : "key");
              if (keys.empty()) throw sdk::invalid("press: 'keys' is required");
              press_keys(s, tab, keys);
              return text_result("Pressed " + std::to_string(keys.size()) + " key(s)");
          });
    r.add({"select", "Choose option(s) of a <select> by value or visible label.",
           schema(with_target({{"values", {{"oneOf", {{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}}}}}, {"value", {{"type", "string"}}}})), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab& tab) {
              const ElementTarget t = required_target(c.args);
              const auto values = c.args.strings(c.args.has("values") ? "values" : "value");
              if (values.empty()) throw sdk::invalid("select: give 'values' (or 'value')");
              const Json selected = select_options(s, tab, t, values);
              return text_result("Selected " + selected.dump() + " in " + t.describe(), {{"selected", selected}});
          });
    r.add({"scroll", "Scroll the page (up|down|left|right by amount px, or top|bottom), or scroll an element into view.",
           schema(with_target({{"direction", {{"enum", {"up", "down", "left", "right", "top", "bottom"}}, {"default", "down"}}}, {"amount", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100000}}}})), false, "serial", "none", "none"},
          [&s](CallContext& c, Tab& tab) {
              const std::string dir = c.args.string("direction").value_or("down");
              static const std::set<std::string> ok{"up", "down", "left", "right", "top", "bottom"};
              if (!ok.count(dir)) throw sdk::invalid("scroll: direction must be up, down, left, right, top or bottom");
              const Json pos = scroll(s, tab, target_of(c.args), dir, static_cast<int>(c.args.integer("amount", 600, 1, 100000)));
              return text_result("Scroll position " + pos.dump(), pos);
          });
    r.add({"evaluate", "Run a JavaScript expression in the page (promises are awaited) and return its JSON value, capped at 256 KiB.",
           schema({{"expression", {{"type", "string"}}}, {"timeout", kTimeout}}, {"expression"}), false, "serial", "exec", "external"},
          [&s](CallContext& c, Tab& tab) {
              const auto expr = c.args.string_any({"expression", "script"});
              if (!expr) throw sdk::invalid("evaluate: 'expression' is required");
              const Json v = evaluate(s, tab, *expr, timeout_of(c.args));
              return text_result(capped(v["value"].is_null() ? v.value("type", "undefined") : v["value"].dump(2)), v);
          });
}

void add_capture(Registrar& r) {
    BrowserSession& s = r.session;
    r.add({"screenshot", "Save a PNG of the viewport, the full page, or one element into the workspace.",
           schema(with_target({{"path", {{"type", "string"}, {"description", "workspace path (default screenshots/page-<time>.png)"}}}, {"fullPage", {{"type", "boolean"}}}})), false, "serial", "write", "local"},
          [&s](CallContext& c, Tab& tab) {
              const std::string path = c.args.string("path").value_or("screenshots/page-" + stamp() + ".png");
              const std::string png = screenshot_png(s, tab, c.args.boolean("fullPage", false), target_of(c.args));
              const SavedFile f = save_in_workspace(c.fs, path, png);
              return text_result("Saved screenshot " + f.display + " (" + std::to_string(f.bytes) + " bytes)", {{"path", f.display}, {"bytes", f.bytes}});
          });
    r.add({"pdf", "Print the page to a PDF file in the workspace.",
           schema({{"path", {{"type", "string"}}}, {"landscape", {{"type", "boolean"}}}, {"printBackground", {{"type", "boolean"}}}}), false, "serial", "write", "local"},
          [&s](CallContext& c, Tab& tab) {
              const std::string path = c.args.string("path").value_or("pdfs/page-" + stamp() + ".pdf");
              const std::string pdf = print_pdf(s, tab, c.args.boolean("landscape", false), c.args.boolean("printBackground", true));
              const SavedFile f = save_in_workspace(c.fs, path, pdf);
              return text_result("Saved PDF " + f.display + " (" + std::to_string(f.bytes) + " bytes)", {{"path", f.display}, {"bytes", f.bytes}});
          });
}

void add_tabs(Registrar& r) {
    BrowserSession& s = r.session;
    r.add({"tabs", "List, open (new, optional url), switch to, or close tabs. Tab ids look like t1.",
           schema({{"action", {{"enum", {"list", "new", "switch", "close"}}, {"default", "list"}}}, {"tabId", {{"type", "string"}}}, {"url", {{"type", "string"}}}, {"timeout", kTimeout}}), false, "serial", "network", "external"},
          [&s](CallContext& c, Tab&) {
              const std::string action = c.args.string("action").value_or("list");
              if (action == "new") s.new_tab(c.args.string("url").value_or(""), WaitUntil::load, timeout_of(c.args));
              else if (action == "switch") s.switch_tab(c.args.required_string("tabId"));
              else if (action == "close") s.close_tab(c.args.required_string("tabId"));
              else if (action != "list") throw sdk::invalid("tabs: action must be list, new, switch or close");
              const Json tabs = s.list_tabs();
              std::string text;
              for (const auto& t : tabs)
                  text += (t.value("current", false) ? "* " : "  ") + t.value("id", "") + " " + t.value("url", "") + " \"" + t.value("title", "") + "\"\n";
              return text_result(text.empty() ? "(no tabs)" : text, {{"tabs", tabs}, {"browser", s.describe()}});
          });
}

}  // namespace

void register_browser_tools(tools::ToolSet& set, BrowserSession& session, std::mutex& mutex) {
    Registrar r{set, session, mutex};
    add_navigation(r);
    add_reading(r);
    add_input(r);
    add_capture(r);
    add_tabs(r);
    // close does not start a browser just to stop it.
    set.add({"close", "Close the browser: kill Chromium, delete its throwaway profile (or detach from an attached browser).",
             schema(Json::object()), false, "serial", "none", "local"},
            [&session, &mutex](CallContext&) {
                std::lock_guard lock(mutex);
                const Json before = session.describe();
                const bool was = session.started();
                session.close();
                return text_result(was ? "Browser closed" : "No browser was running", {{"browser", before}});
            });
}

}  // namespace cowork::browser
