// Review view: open any row, override the pipeline's keep / drop, edit a message, rate it 1-5.
// Overrides are applied to the outputs on export and recorded in report.json and the card.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "ui/studio.h"

namespace winnow::ui {

void DrawReviewView(Studio& s) {
  if (!s.HasData()) {
    ImGui::TextDisabled("Open a dataset to review its rows.");
    return;
  }
  const Dataset& ds = s.loader.dataset();
  int64_t n = static_cast<int64_t>(ds.size());
  if (s.review_row < 0) s.review_row = 0;
  if (s.review_row >= n) s.review_row = n - 1;
  bool ran = s.run.state() == RunDriver::State::Done;

  // Navigation.
  if (ImGui::ArrowButton("prev", ImGuiDir_Left) && s.review_row > 0) --s.review_row;
  ImGui::SameLine();
  int64_t shown = s.review_row + 1;
  ImGui::SetNextItemWidth(120 * s.scale);
  if (ImGui::InputScalar("##row", ImGuiDataType_S64, &shown, nullptr, nullptr, "%lld", ImGuiInputTextFlags_EnterReturnsTrue)) {
    if (shown >= 1 && shown <= n) s.review_row = shown - 1;
  }
  ImGui::SameLine();
  ImGui::Text("of %s", GroupedCount(ds.size()).c_str());
  ImGui::SameLine();
  if (ImGui::ArrowButton("next", ImGuiDir_Right) && s.review_row + 1 < n) ++s.review_row;
  if (ran) {
    ImGui::SameLine();
    if (ImGui::Button("Next rejected")) {
      for (int64_t i = s.review_row + 1; i < n; ++i) {
        if (s.run.Dropped(static_cast<size_t>(i))) {
          s.review_row = i;
          break;
        }
      }
    }
    ImGui::SameLine();
    if (ImGui::Button("Next flagged")) {
      for (int64_t i = s.review_row + 1; i < n; ++i) {
        if (!s.run.FlagsOf(static_cast<size_t>(i)).empty()) {
          s.review_row = i;
          break;
        }
      }
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("The next row a step flagged (kept, or dropped by a later step): the rows worth a look");
    ImGui::SameLine();
    if (ImGui::Button("Next kept")) {
      for (int64_t i = s.review_row + 1; i < n; ++i) {
        if (!s.run.Dropped(static_cast<size_t>(i))) {
          s.review_row = i;
          break;
        }
      }
    }
  }
  size_t i = static_cast<size_t>(s.review_row);
  ReviewOverride& ov = s.overrides[i];

  ImGui::Separator();
  ImGui::BeginChild("review_left", ImVec2(ImGui::GetContentRegionAvail().x * 0.64f, 0), true);
  Example ex = ds.Get(i);
  DrawChatBubbles(s, ex, &ov);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("review_right", ImVec2(0, 0), true);
  ImGui::TextDisabled("PIPELINE VERDICT");
  if (!ran) {
    ImGui::TextDisabled("not run yet");
  } else {
    std::string v = s.run.VerdictOf(i);
    if (v.empty()) ImGui::TextColored(ImVec4(0.35f, 0.75f, 0.55f, 1), "kept");
    else ImGui::TextColored(ImVec4(0.90f, 0.45f, 0.40f, 1), "rejected by %s", v.c_str());
    for (const std::string& f : s.run.FlagsOf(i)) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.70f, 0.25f, 1));
      ImGui::TextWrapped("flagged by %s", f.c_str());
      ImGui::PopStyleColor();
    }
  }
  ImGui::Spacing();
  ImGui::TextDisabled("YOUR DECISION");
  ImGui::RadioButton("as the pipeline decided", &ov.verdict, -1);
  ImGui::RadioButton("keep", &ov.verdict, 1);
  ImGui::RadioButton("drop", &ov.verdict, 0);
  ImGui::Spacing();
  ImGui::TextDisabled("RATING");
  for (int k = 1; k <= 5; ++k) {
    ImGui::PushID(k);
    bool on = ov.rating >= k;
    if (on) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.98f, 0.78f, 0.25f, 1));
    if (ImGui::SmallButton(on ? "\xE2\x98\x85" : "\xE2\x98\x86")) ov.rating = ov.rating == k ? 0 : k;
    if (on) ImGui::PopStyleColor();
    ImGui::PopID();
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::Spacing();
  ImGui::TextDisabled("NOTE");
  ImGui::InputTextMultiline("##note", &ov.note, ImVec2(-1, 70 * s.scale));
  if (!ov.edits.empty()) {
    ImGui::Text("%zu message(s) edited", ov.edits.size());
    if (ImGui::SmallButton("Discard edits")) ov.edits.clear();
  }
  ImGui::Spacing();
  ImGui::Separator();
  size_t active = 0;
  for (const auto& [row, o] : s.overrides) active += (o.verdict >= 0 || o.rating > 0 || !o.edits.empty() || !o.note.empty());
  ImGui::Text("%zu reviewed row(s)", active);
  ImGui::TextWrapped("Overrides are applied when you export: the outputs, report.json and the dataset card record them.");
  ImGui::EndChild();
}

}  // namespace winnow::ui
