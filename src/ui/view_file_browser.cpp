// In-app file browser (desktop): lists a folder with std::filesystem and opens a dataset or a
// pipeline. The page uses the browser's own picker instead.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "ui/studio.h"

namespace winnow::ui {

namespace fs = std::filesystem;

void DrawFileBrowser(Studio& s) {
  if (s.browser_dir.empty()) {
    std::error_code ec;
    fs::path base = s.input_path.empty() ? fs::current_path(ec) : fs::path(s.input_path).parent_path();
    s.browser_dir = base.empty() ? "." : base.string();
  }
  ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x * 0.6f, vp->WorkSize.y * 0.7f), ImGuiCond_Appearing);
  const char* title = s.browser_kind == PickKind::Dataset    ? "Open a dataset###browser"
                      : s.browser_kind == PickKind::Template  ? "Open a chat template (.jinja, tokenizer_config.json)###browser"
                      : s.browser_kind == PickKind::Tokenizer ? "Open a tokenizer (.tiktoken, tokenizer.json)###browser"
                                                              : "Open a pipeline###browser";
  if (!ImGui::Begin(title, &s.show_browser, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  if (ImGui::Button("Up")) s.browser_dir = fs::path(s.browser_dir).parent_path().string();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  ImGui::InputText("##dir", &s.browser_dir);
  ImGui::BeginChild("entries", ImVec2(0, 0), true);
  std::error_code ec;
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(s.browser_dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
  std::sort(entries.begin(), entries.end(), [](const fs::directory_entry& a, const fs::directory_entry& b) {
    std::error_code e1, e2;
    bool da = a.is_directory(e1), db = b.is_directory(e2);
    if (da != db) return da;
    return a.path().filename().string() < b.path().filename().string();
  });
  if (ec) ImGui::TextDisabled("cannot list %s: %s", s.browser_dir.c_str(), ec.message().c_str());
  for (const auto& e : entries) {
    std::string name = e.path().filename().string();
    if (!name.empty() && name[0] == '.') continue;
    std::error_code e1;
    bool dir = e.is_directory(e1);
    std::string label = dir ? name + "/" : name;
    if (!dir) {
      uint64_t size = e.file_size(e1);
      label += "   " + HumanBytes(size);
    }
    if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick)) {
      if (dir) {
        s.browser_dir = e.path().string();
      } else {
        s.show_browser = false;
        s.pending_open = e.path().string();
        s.pending_kind = s.browser_kind;
      }
    }
  }
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace winnow::ui
