// capture.hpp — screenshots and PDFs, written into the workspace through
// tool_common's Confinement (no '..', no symlink escapes, atomic write).
#pragma once

#include "browser_session.hpp"
#include "input_actions.hpp"

#include <cowork_tools/confinement.hpp>

#include <string>
#include <string_view>

namespace cowork::browser {

std::string decode_base64(std::string_view in);

struct SavedFile {
    std::string display;  // workspace-relative path as shown to the model
    size_t bytes = 0;
};
SavedFile save_in_workspace(const tools::Confinement& fs, const std::string& path, std::string_view bytes);

// PNG bytes of the viewport, the whole page, or one element.
std::string screenshot_png(BrowserSession& s, Tab& tab, bool full_page, const ElementTarget& element);
std::string print_pdf(BrowserSession& s, Tab& tab, bool landscape, bool print_background);

}  // namespace cowork::browser
