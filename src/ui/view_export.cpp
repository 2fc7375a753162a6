// Export view: the outputs of the last run (kept, rejected, splits, report, card), each saved as a
// file (a Blob download in the page; a file next to the input on the desktop).
#include <imgui.h>

#include <cstdio>

#include "ui/studio.h"

namespace winnow::ui {

void DrawExportView(Studio& s) {
  if (s.run.state() != RunDriver::State::Done) {
    ImGui::Spacing();
    ImGui::TextDisabled("Run the pipeline to produce outputs (Ctrl+Enter).");
    return;
  }
  const auto& outs = s.run.outputs();
  ImGui::TextWrapped("%s", s.host.NativeFiles() ? "Files are written next to the input file."
                                                 : "Files are downloaded by your browser; nothing is uploaded.");
  ImGui::Spacing();
  if (ImGui::Button("Download all  (Ctrl+E)")) s.ExportAll();
  ImGui::Spacing();
  if (ImGui::BeginTable("outputs", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn("file", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("size", ImGuiTableColumnFlags_WidthFixed, 110 * s.scale);
    ImGui::TableSetupColumn("lines", ImGuiTableColumnFlags_WidthFixed, 110 * s.scale);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 120 * s.scale);
    ImGui::TableHeadersRow();
    for (const RunOutput& o : outs) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(o.name.c_str());
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(HumanBytes(o.bytes.size()).c_str());
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(GroupedCount(o.lines).c_str());
      ImGui::TableSetColumnIndex(3);
      ImGui::PushID(o.name.c_str());
      if (ImGui::SmallButton("Download")) {
        std::string where;
        Status st = s.host.SaveFile(o.name, o.bytes.Views(), &where);
        s.Toast(st.ok() ? "Saved " + where : st.error().message);
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (const RunOutput* card = s.run.Find("README.md")) {
    ImGui::Spacing();
    if (ImGui::CollapsingHeader("Dataset card (README.md)", ImGuiTreeNodeFlags_DefaultOpen)) {
      ImGui::BeginChild("card", ImVec2(0, 0), true);
      ImGui::PushFont(s.font_mono);
      ImGui::PushTextWrapPos(0);
      // A card is a few KB, one part; a card past 8 MB would show each further part from a new line.
      for (const std::string& part : card->bytes.Parts()) ImGui::TextUnformatted(part.data(), part.data() + part.size());
      ImGui::PopTextWrapPos();
      ImGui::PopFont();
      ImGui::EndChild();
    }
  }
}

}  // namespace winnow::ui
