// input_actions.hpp — acting on a page the way a user would: elements are
// found by snapshot ref or CSS selector, scrolled into view, and driven with
// real Input.dispatch* events (so page handlers see trusted events).
#pragma once

#include "browser_session.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cowork::browser {

struct ElementTarget {
    std::optional<std::string> ref;       // "e12" from snapshot
    std::optional<std::string> selector;  // CSS
    bool empty() const { return !ref && !selector; }
    std::string describe() const { return ref ? "ref " + *ref : "selector '" + selector.value_or("") + "'"; }
};

// The element's Runtime objectId. Throws ToolFailure for an unknown or
// stale ref, or a selector that matches nothing.
std::string resolve_element(BrowserSession& s, Tab& tab, const ElementTarget& target);
// Runs `function_declaration` with `this` = the element; returns its value.
Json call_on(BrowserSession& s, Tab& tab, const std::string& object_id, const std::string& function_declaration,
             const Json& args = Json::array());

void click(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::string& button, int click_count);
void hover(BrowserSession& s, Tab& tab, const ElementTarget& target);
// Replaces the field's value (focus, clear, insert) and fires input/change.
void fill(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::string& value);
// Types key by key into the focused element (or `target`, focused first).
void type_text(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::string& text);
void press_keys(BrowserSession& s, Tab& tab, const std::vector<std::string>& keys);
// Selects options by value or visible label; returns the selected values.
Json select_options(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::vector<std::string>& values);
// direction: up|down|left|right|top|bottom. Returns {"x","y"} afterwards.
Json scroll(BrowserSession& s, Tab& tab, const ElementTarget& target, const std::string& direction, int amount);
// state: attached|detached|visible|hidden (selector) — or `text` appears.
void wait_for(BrowserSession& s, Tab& tab, const std::optional<std::string>& selector,
              const std::optional<std::string>& text, const std::string& state, milliseconds timeout);
std::string get_text(BrowserSession& s, Tab& tab, const ElementTarget& target);
std::string get_content(BrowserSession& s, Tab& tab, const ElementTarget& target);
// {"value": result} (JSON by value), or ToolFailure with the exception text.
Json evaluate(BrowserSession& s, Tab& tab, const std::string& expression, milliseconds timeout);

}  // namespace cowork::browser
