// Small widgets shared by the views: help markers, one-line cell text, chat bubbles, progress + ETA.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "core/utf8.h"
#include "ui/studio.h"

namespace winnow::ui {

void HelpMarker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

std::string OneLine(std::string_view s, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(s.size(), max_bytes) + 4);
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || c == '\r' || c == '\t') {
      if (!space && !out.empty()) out.push_back(' ');
      space = true;
      continue;
    }
    space = c == ' ';
    if (out.size() >= max_bytes) {
      // back up to a UTF-8 boundary before the ellipsis
      while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
      if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80)) out.pop_back();
      out += "\xE2\x80\xA6";
      return out;
    }
    out.push_back(c);
  }
  return out;
}

void ProgressWithEta(float fraction, double elapsed_s, const char* label) {
  char text[256];
  if (fraction > 0.001f && fraction < 1.0f && elapsed_s > 0.3) {
    double eta = elapsed_s * (1.0 - fraction) / fraction;
    std::snprintf(text, sizeof text, "%s  %d%%  ETA %d s", label, static_cast<int>(fraction * 100), static_cast<int>(eta + 0.5));
  } else if (fraction >= 0) {
    std::snprintf(text, sizeof text, "%s  %d%%", label, static_cast<int>(fraction * 100));
  } else {
    std::snprintf(text, sizeof text, "%s", label);
  }
  float f = fraction;
  if (f < 0) f = static_cast<float>(ImGui::GetTime() * 0.5 - static_cast<int>(ImGui::GetTime() * 0.5));
  ImGui::ProgressBar(f, ImVec2(ImGui::CalcItemWidth(), 0), text);
}

namespace {

ImVec4 RoleColor(Role r, bool dark) {
  switch (r) {
    case Role::System: return dark ? ImVec4(0.30f, 0.27f, 0.16f, 1) : ImVec4(0.98f, 0.94f, 0.80f, 1);
    case Role::User: return dark ? ImVec4(0.17f, 0.25f, 0.36f, 1) : ImVec4(0.86f, 0.92f, 1.00f, 1);
    case Role::Assistant: return dark ? ImVec4(0.16f, 0.30f, 0.27f, 1) : ImVec4(0.86f, 0.97f, 0.92f, 1);
    case Role::Tool: return dark ? ImVec4(0.27f, 0.20f, 0.32f, 1) : ImVec4(0.94f, 0.89f, 0.99f, 1);
  }
  return ImVec4(0.2f, 0.2f, 0.2f, 1);
}

// Tool-call arguments arrive as a JSON string holding JSON (OpenAI's form): show them as JSON.
void ExpandArguments(nlohmann::json& j) {
  if (j.is_array()) {
    for (auto& e : j) ExpandArguments(e);
  } else if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "arguments" && it.value().is_string()) {
        nlohmann::json inner = nlohmann::json::parse(it.value().get<std::string>(), nullptr, false);
        if (!inner.is_discarded()) it.value() = inner;
      } else {
        ExpandArguments(it.value());
      }
    }
  }
}

std::string PrettyJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return std::string(text);
  ExpandArguments(j);
  return j.dump(2);
}

void Bubble(Studio& s, const Message& m, int index, const char* group, std::string* edit) {
  bool right = m.role == Role::Assistant;
  float full = ImGui::GetContentRegionAvail().x;
  float width = full * 0.82f;
  ImGui::PushID(group);
  ImGui::PushID(index);
  if (right) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + full - width);
  std::string head(RoleName(m.role));
  if (!m.name.empty()) head += " \xC2\xB7 " + m.name;
  if (!m.tool_call_id.empty()) head += " \xC2\xB7 call " + m.tool_call_id;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, RoleColor(m.role, s.dark));
  ImGui::PushStyleVar(ImGuiStyleVar_ChildRounding, 8 * s.scale);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10 * s.scale, 8 * s.scale));
  // Height: measure the wrapped text first (a child needs its size up front).
  float inner = width - 20 * s.scale;
  const std::string& body = edit ? *edit : m.content;
  float text_h = ImGui::CalcTextSize(body.c_str(), body.c_str() + body.size(), false, inner).y;
  std::string calls;
  if (!m.tool_calls.empty()) calls = PrettyJson(m.tool_calls);
  float calls_h = 0;
  if (!calls.empty()) {
    ImGui::PushFont(s.font_mono);
    calls_h = ImGui::CalcTextSize(calls.c_str(), nullptr, false, inner).y + ImGui::GetTextLineHeightWithSpacing() + 8 * s.scale;
    ImGui::PopFont();
  }
  float h = ImGui::GetTextLineHeightWithSpacing() + (edit ? std::max(text_h + 16 * s.scale, 80 * s.scale) : text_h) +
            calls_h + 20 * s.scale;
  ImGui::BeginChild("bubble", ImVec2(width, h), false, ImGuiWindowFlags_NoScrollbar);
  ImGui::TextDisabled("%s", head.c_str());
  if (edit) {
    ImGui::InputTextMultiline("##edit", edit, ImVec2(-1, std::max(text_h + 16 * s.scale, 80 * s.scale)));
  } else {
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(m.content.c_str(), m.content.c_str() + m.content.size());
    ImGui::PopTextWrapPos();
  }
  if (!calls.empty()) {
    ImGui::TextDisabled("tool calls");
    ImGui::PushFont(s.font_mono);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(calls.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
  }
  ImGui::EndChild();
  ImGui::PopStyleVar(2);
  ImGui::PopStyleColor();
  ImGui::PopID();
  ImGui::PopID();
}

}  // namespace

void DrawChatBubbles(Studio& s, const Example& ex, ReviewOverride* editable) {
  if (ex.has_text) {
    ImGui::TextDisabled("text");
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(ex.text.c_str(), ex.text.c_str() + ex.text.size());
    ImGui::PopTextWrapPos();
  }
  if (!ex.tools.empty()) {
    if (ImGui::TreeNode("tools", "tools available to the model")) {
      ImGui::PushFont(s.font_mono);
      ImGui::TextUnformatted(PrettyJson(ex.tools).c_str());
      ImGui::PopFont();
      ImGui::TreePop();
    }
  }
  for (size_t i = 0; i < ex.messages.size(); ++i) {
    std::string* edit = nullptr;
    if (editable) {
      auto it = editable->edits.find(i);
      if (it != editable->edits.end()) edit = &it->second;
    }
    Bubble(s, ex.messages[i], static_cast<int>(i), "m", edit);
    if (editable && !edit) {
      ImGui::PushID(static_cast<int>(i));
      bool right = ex.messages[i].role == Role::Assistant;
      if (right) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetContentRegionAvail().x * 0.18f);
      if (ImGui::SmallButton("edit")) editable->edits[i] = ex.messages[i].content;
      ImGui::PopID();
    }
  }
  auto pref = [&](const char* title, const std::vector<Message>& ms, const char* group) {
    if (ms.empty()) return;
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextDisabled("%s", title);
    for (size_t i = 0; i < ms.size(); ++i) Bubble(s, ms[i], static_cast<int>(i), group, nullptr);
  };
  pref("chosen", ex.chosen, "c");
  pref("rejected", ex.rejected, "r");
  if (ex.label >= 0) ImGui::Text("KTO label: %s", ex.label ? "desirable" : "undesirable");
}

}  // namespace winnow::ui
