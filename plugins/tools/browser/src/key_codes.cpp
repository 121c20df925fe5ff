#include "key_codes.hpp"

#include <cctype>
#include <map>

namespace cowork::browser {

std::optional<KeyDef> key_def(const std::string& name) {
    static const std::map<std::string, KeyDef> named{
        {"Enter", {"Enter", "Enter", 13, "\r"}},      {"Tab", {"Tab", "Tab", 9, ""}},
        {"Escape", {"Escape", "Escape", 27, ""}},     {"Backspace", {"Backspace", "Backspace", 8, ""}},
        {"Delete", {"Delete", "Delete", 46, ""}},     {"Space", {" ", "Space", 32, " "}},
        {"ArrowUp", {"ArrowUp", "ArrowUp", 38, ""}}, {"ArrowDown", {"ArrowDown", "ArrowDown", 40, ""}},
        {"ArrowLeft", {"ArrowLeft", "ArrowLeft", 37, ""}}, {"ArrowRight", {"ArrowRight", "ArrowRight", 39, ""}},
        {"Home", {"Home", "Home", 36, ""}},           {"End", {"End", "End", 35, ""}},
        {"PageUp", {"PageUp", "PageUp", 33, ""}},     {"PageDown", {"PageDown", "PageDown", 34, ""}},
        {"Insert", {"Insert", "Insert", 45, ""}},     {"Shift", {"Shift", "ShiftLeft", 16, ""}},
        {"Control", {"Control", "ControlLeft", 17, ""}}, {"Alt", {"Alt", "AltLeft", 18, ""}},
        {"Meta", {"Meta", "MetaLeft", 91, ""}},
    };
    if (auto it = named.find(name); it != named.end()) return it->second;
    if (name.size() > 1 && name[0] == 'F' && std::isdigit(static_cast<unsigned char>(name[1]))) {
        const int n = std::stoi(name.substr(1));
        if (n >= 1 && n <= 12) return KeyDef{name, name, 111 + n, ""};
    }
    if (name.size() == 1) {
        const char c = name[0];
        const char up = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (std::isalpha(static_cast<unsigned char>(c))) return KeyDef{name, std::string("Key") + up, up, name};
        if (std::isdigit(static_cast<unsigned char>(c))) return KeyDef{name, std::string("Digit") + c, c, name};
        return KeyDef{name, "", 0, name};  // punctuation: text is what matters
    }
    return std::nullopt;
}

int modifier_bit(const std::string& name) {
    if (name == "Shift") return kShift;
    if (name == "Control" || name == "Ctrl") return kControl;
    if (name == "Alt") return kAlt;
    if (name == "Meta" || name == "Cmd" || name == "Command") return kMeta;
    return 0;
}

std::optional<KeyCombo> parse_combo(const std::string& combo, std::string& error) {
    std::vector<std::string> parts;
    size_t start = 0;
    // "+" alone (or a trailing "++") is the plus key itself.
    while (start < combo.size()) {
        size_t plus = combo.find('+', start + 1);
        if (plus == std::string::npos) plus = combo.size();
        parts.push_back(combo.substr(start, plus - start));
        start = plus + 1;
    }
    if (parts.empty()) {
        error = "empty key";
        return std::nullopt;
    }
    KeyCombo out;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        const int bit = modifier_bit(parts[i]);
        if (!bit) {
            error = "'" + parts[i] + "' is not a modifier (Shift, Control, Alt, Meta)";
            return std::nullopt;
        }
        out.modifiers |= bit;
        out.modifier_keys.push_back(*key_def(bit == kControl ? "Control" : bit == kMeta ? "Meta" : parts[i]));
    }
    auto key = key_def(parts.back());
    if (!key) {
        error = "unknown key '" + parts.back() + "' (use names like Enter, Tab, Escape, ArrowDown, F5, or one character)";
        return std::nullopt;
    }
    // With Control/Alt/Meta held a key is a shortcut, not text.
    if (out.modifiers & (kControl | kAlt | kMeta)) key->text.clear();
    out.key = *key;
    return out;
}

}  // namespace cowork::browser
