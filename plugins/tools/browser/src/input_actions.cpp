#include "input_actions.hpp"

#include "key_codes.hpp"

#include <cowork_tools/tool_failure.hpp>

#include <thread>

namespace cowork::browser {
using tools::ToolFailure;

namespace {

constexpr auto kPollEvery = std::chrono::milliseconds(100);

std::string exception_text(const Json& details) {
    std::string text = details.value("text", "exception");
    if (details.contains("exception")) text += ": " + details["exception"].value("description", "");
    return text;
}

struct Point {
    double x, y;
};

// Scrolls the element to the middle of the viewport and returns its centre.
Point center_of(BrowserSession& s, Tab& tab, const ElementTarget& target) {
    const std::string id = resolve_element(s, tab, target);
    const Json r = call_on(s, tab, id, R"(function() {
        this.scrollIntoView({block: 'center', inline: 'center'});
        const r = this.getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height};
    })");
    if (r.value("w", 0.0) <= 0 || r.value("h", 0.0) <= 0)
        throw ToolFailure(target.describe() + " is not visible (zero size); it may be hidden or not rendered yet");
    return {r.value("x", 0.0), r.value("y", 0.0)};
}

void mouse(BrowserSession& s, Tab& tab, const char* type, Point p, const std::string& button, int count) {
    s.call(tab, "Input.dispatchMouseEvent",
           {{"type", type}, {"x", p.x}, {"y", p.y}, {"button", button}, {"clickCount", count}});
}

void key_event(BrowserSession& s, Tab& tab, const char* type, const KeyDef& k, int modifiers) {
    Json p{{"type", type}, {"key", k.key}, {"code", k.code}, {"windowsVirtualKeyCode", k.key_code}, {"modifiers", modifiers}};
    if (std::string(type) == "keyDown" && !k.text.empty()) p["text"] = k.text, p["unmodifiedText"] = k.text;
    s.call(tab, "Input.dispatchKeyEvent", p);
}

void press_one(BrowserSession& s, Tab& tab, const std::string& combo) {
    std::string error;
    const auto c = parse_combo(combo, error);
    if (!c) throw ToolFailure(error);
    int held = 0;
    for (const auto& m : c->modifier_keys) {
        held |= modifier_bit(m.key);
        key_event(s, tab, "rawKeyDown", m, held);
    }
    key_event(s, tab, c->key.text.empty() ? "rawKeyDown" : "keyDown", c->key, c->modifiers);
    key_event(s, tab, "keyUp", c->key, c->modifiers);
    for (auto it = c->modifier_keys.rbegin(); it != c->modifier_keys.rend(); ++it) {
        held &= ~modifier_bit(it->key);
        key_event(s, tab, "keyUp", *it, held);
    }
}

void focus(BrowserSession& s, Tab& tab, const ElementTarget& target) {
    call_on(s, tab, resolve_element(s, tab, target), "function() { this.scrollIntoView({block: 'center'}); this.focus(); }");
}

}  // namespace

std::string resolve_element(BrowserSession& s, Tab& tab, const ElementTarget& target) {
    if (target.ref) {
        auto it = tab.node_of_ref.find(*target.ref);
        if (it == tab.node_of_ref.end())
            throw ToolFailure("unknown ref '" + *target.ref + "' in this tab; take a snapshot and use a ref from it");
        try {
            return s.call(tab, "DOM.resolveNode", {{"backendNodeId", it->second}})["object"].value("objectId", "");
        } catch (const ToolFailure&) {
            throw ToolFailure("ref '" + *target.ref + "' no longer exists (the page changed or navigated); take a new snapshot");
        }
    }
    if (!target.selector) throw ToolFailure("give a ref (from snapshot) or a CSS selector");
    const Json r = s.call(tab, "Runtime.evaluate",
                          {{"expression", "document.querySelector(" + Json(*target.selector).dump() + ")"}});
    if (r.contains("exceptionDetails")) throw ToolFailure("bad selector '" + *target.selector + "': " + exception_text(r["exceptionDetails"]));
    if (!r["result"].contains("objectId")) throw ToolFailure("no element matches selector '" + *target.selector + "'");
    return r["result"]["objectId"].get<std::string>();
}

Json call_on(BrowserSession& s, Tab& tab, const std::string& object_id, const std::string& function_declaration,
             const Json& args) {
    Json call_args = Json::array();
    for (const auto& a : args) call_args.push_back({{"value", a}});
    const Json r = s.call(tab, "Runtime.callFunctionOn",
                          {{"objectId", object_id}, {"functionDeclaration", function_declaration}, {"arguments", call_args},
                           {"returnByValue", true}, {"awaitPromise", true}, {"userGesture", true}});
    if (r.contains("exceptionDetails")) throw ToolFailure(exception_text(r["exceptionDetails"]));
    return r["result"].value("value", Json());
}

void click(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::string& button, int click_count) {
    const Point p = center_of(s, tab, target);
    mouse(s, tab, "mouseMoved", p, "none", 0);
    for (int i = 1; i <= click_count; ++i) {
        mouse(s, tab, "mousePressed", p, button, i);
        mouse(s, tab, "mouseReleased", p, button, i);
    }
}

void hover(BrowserSession& s, Tab& tab, const ElementTarget& target) {
    mouse(s, tab, "mouseMoved", center_of(s, tab, target), "none", 0);
}

void fill(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::string& value) {
    const std::string id = resolve_element(s, tab, target);
    const Json kind = call_on(s, tab, id, R"(function() {
        this.scrollIntoView({block: 'center'});
        this.focus();
        if (this.isContentEditable) {
            const range = document.createRange();
            range.selectNodeContents(this);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
            document.execCommand('delete');
            return 'editable';
        }
        if (!('value' in this)) return 'none';
        if (this.readOnly || this.disabled) return 'readonly';
        this.value = '';
        this.dispatchEvent(new Event('input', {bubbles: true}));
        return 'field';
    })");
    if (kind == "none") throw ToolFailure(target.describe() + " is not a text field or editable element");
    if (kind == "readonly") throw ToolFailure(target.describe() + " is read-only or disabled");
    // insertText fires the same input events as typing, in one call.
    if (!value.empty()) s.call(tab, "Input.insertText", {{"text", value}});
    call_on(s, tab, id, "function() { this.dispatchEvent(new Event('change', {bubbles: true})); }");
}

void type_text(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::string& text) {
    if (!target.empty()) focus(s, tab, target);
    // One key event pair per character (UTF-8 sequences kept whole), so
    // keydown/keypress/keyup handlers run as they would for a person.
    for (size_t i = 0; i < text.size();) {
        size_t len = 1;
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c >= 0xF0) len = 4;
        else if (c >= 0xE0) len = 3;
        else if (c >= 0xC0) len = 2;
        const std::string ch = text.substr(i, len);
        i += len;
        if (ch == "\n") {
            press_one(s, tab, "Enter");
            continue;
        }
        const KeyDef k = key_def(ch).value_or(KeyDef{ch, "", 0, ch});
        key_event(s, tab, "keyDown", k, 0);
        key_event(s, tab, "keyUp", k, 0);
    }
}

void press_keys(BrowserSession& s, Tab& tab, const std::vector<std::string>& keys) {
    for (const auto& k : keys) press_one(s, tab, k);
}

Json select_options(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::vector<std::string>& values) {
    const Json r = call_on(s, tab, resolve_element(s, tab, target), R"(function(wanted) {
        if (this.tagName !== 'SELECT') return {error: 'not a <select> element'};
        const opts = Array.from(this.options);
        const missing = wanted.filter(w => !opts.some(o => o.value === w || o.label === w || o.text.trim() === w));
        if (missing.length) return {error: 'no option ' + JSON.stringify(missing[0]) + '; options: ' +
                                    JSON.stringify(opts.map(o => o.value))};
        if (!this.multiple && wanted.length > 1) return {error: 'this <select> takes one value'};
        this.focus();
        for (const o of opts) o.selected = wanted.some(w => o.value === w || o.label === w || o.text.trim() === w);
        this.dispatchEvent(new Event('input', {bubbles: true}));
        this.dispatchEvent(new Event('change', {bubbles: true}));
        return {selected: opts.filter(o => o.selected).map(o => o.value)};
    })", Json::array({values}));
    if (r.contains("error")) throw ToolFailure(target.describe() + ": " + r["error"].get<std::string>());
    return r["selected"];
}

Json scroll(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::string& direction, int amount) {
    if (!target.empty()) {
        call_on(s, tab, resolve_element(s, tab, target), "function() { this.scrollIntoView({block: 'center'}); }");
    } else {
        std::string js;
        const std::string a = std::to_string(amount);
        if (direction == "down") js = "window.scrollBy(0, " + a + ")";
        else if (direction == "up") js = "window.scrollBy(0, -" + a + ")";
        else if (direction == "right") js = "window.scrollBy(" + a + ", 0)";
        else if (direction == "left") js = "window.scrollBy(-" + a + ", 0)";
        else if (direction == "top") js = "window.scrollTo(window.scrollX, 0)";
        else js = "window.scrollTo(window.scrollX, document.documentElement.scrollHeight)";
        evaluate(s, tab, js, std::chrono::seconds(10));
    }
    return evaluate(s, tab, "({x: window.scrollX, y: window.scrollY})", std::chrono::seconds(10))["value"];
}

void wait_for(BrowserSession& s, Tab& tab, const std::optional<std::string>& selector, const std::optional<std::string>& text,
              const std::string& state, milliseconds timeout) {
    std::string js;
    if (selector) {
        js = "(() => { const el = document.querySelector(" + Json(*selector).dump() + "); const st = " + Json(state).dump() +
             R"(;
              if (st === 'attached') return !!el;
              if (st === 'detached') return !el;
              let vis = false;
              if (el) { const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
                        vis = r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none'; }
              return st === 'visible' ? vis : !vis; })())";
    } else {
        js = "!!document.body && document.body.innerText.includes(" + Json(text.value_or("")).dump() + ")";
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const Json r = s.call(tab, "Runtime.evaluate", {{"expression", js}, {"returnByValue", true}});
        if (r.contains("exceptionDetails")) throw ToolFailure("wait_for: " + exception_text(r["exceptionDetails"]));
        if (r["result"].value("value", false) == true) return;
        if (std::chrono::steady_clock::now() >= deadline)
            throw ToolFailure("timed out after " + std::to_string(timeout.count()) + " ms waiting for " +
                              (selector ? "selector '" + *selector + "' to be " + state : "text " + Json(*text).dump()));
        std::this_thread::sleep_for(kPollEvery);
    }
}

std::string get_text(BrowserSession& s, Tab& tab, const ElementTarget& target) {
    if (target.empty()) return evaluate(s, tab, "document.body ? document.body.innerText : ''", std::chrono::seconds(30))["value"].get<std::string>();
    const Json v = call_on(s, tab, resolve_element(s, tab, target), "function() { return this.innerText ?? this.textContent ?? ''; }");
    return v.is_string() ? v.get<std::string>() : "";
}

std::string get_content(BrowserSession& s, Tab& tab, const ElementTarget& target) {
    if (target.empty()) return evaluate(s, tab, "document.documentElement ? document.documentElement.outerHTML : ''", std::chrono::seconds(30))["value"].get<std::string>();
    const Json v = call_on(s, tab, resolve_element(s, tab, target), "function() { return this.outerHTML ?? ''; }");
    return v.is_string() ? v.get<std::string>() : "";
}

Json evaluate(BrowserSession& s, Tab& tab, const std::string& expression, milliseconds timeout) {
    const Json r = s.call(tab, "Runtime.evaluate",
                          {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}, {"userGesture", true},
                           {"timeout", timeout.count()}},
                          timeout + std::chrono::seconds(5));
    if (r.contains("exceptionDetails")) throw ToolFailure("the expression threw: " + exception_text(r["exceptionDetails"]));
    const Json& result = r["result"];
    if (result.contains("value")) return {{"value", result["value"]}, {"type", result.value("type", "")}};
    if (result.contains("unserializableValue")) return {{"value", result["unserializableValue"]}, {"type", result.value("type", "")}};
    return {{"value", nullptr}, {"type", result.value("type", "undefined")}};
}

}  // namespace cowork::browser
