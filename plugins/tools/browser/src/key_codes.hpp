// key_codes.hpp — key names ("Enter", "Control+a", "x") to the fields
// Input.dispatchKeyEvent needs.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cowork::browser {

struct KeyDef {
    std::string key;   // DOM key value: "Enter", "a"
    std::string code;  // physical code: "Enter", "KeyA"
    int key_code = 0;  // windowsVirtualKeyCode
    std::string text;  // what it types ("" for none)
};

// Modifier bits as CDP counts them.
enum Modifier { kAlt = 1, kControl = 2, kMeta = 4, kShift = 8 };

std::optional<KeyDef> key_def(const std::string& name);
// The modifier bit for "Shift", "Control"/"Ctrl", "Alt", "Meta"/"Cmd", or 0.
int modifier_bit(const std::string& name);

struct KeyCombo {
    int modifiers = 0;
    std::vector<KeyDef> modifier_keys;
    KeyDef key;
};
// "Control+Shift+ArrowLeft"; nothing (with `error` set) for an unknown key.
std::optional<KeyCombo> parse_combo(const std::string& combo, std::string& error);

}  // namespace cowork::browser
