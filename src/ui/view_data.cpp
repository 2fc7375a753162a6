// Data view: a virtualized table of the loaded rows (ImGuiListClipper: only visible rows are
// materialized, so 1M rows scroll like 100), a substring / RE2 search over chosen fields, and an
// inspector that shows the selected row as chat bubbles or as raw JSON.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

#include "core/hash.h"
#include "io/writer.h"
#include "ui/studio.h"

namespace winnow::ui {

namespace {

struct Columns {
  std::vector<const char*> names;
};

Columns ColumnsFor(Format f) {
  switch (f) {
    case Format::Alpaca: return {{"instruction", "input", "output"}};
    case Format::ShareGPT:
    case Format::Messages: return {{"turns", "first user message", "last assistant message"}};
    case Format::Preference: return {{"prompt", "chosen", "rejected"}};
    case Format::KTO: return {{"prompt", "completion", "label"}};
    case Format::Text: return {{"text"}};
    default: return {{"content"}};
  }
}

std::string LastOf(const std::vector<Message>& ms, Role r) {
  for (size_t i = ms.size(); i-- > 0;) {
    if (ms[i].role == r) return ms[i].content;
  }
  return {};
}
std::string FirstOf(const std::vector<Message>& ms, Role r) {
  for (const Message& m : ms) {
    if (m.role == r) return m.content;
  }
  return {};
}
std::string Joined(const std::vector<Message>& ms) {
  std::string out;
  for (const Message& m : ms) {
    if (!out.empty()) out += " | ";
    out += m.content;
  }
  return out;
}

std::string Cell(const Example& ex, Format f, int col) {
  switch (f) {
    case Format::Alpaca: {
      std::string user = LastOf(ex.messages, Role::User);
      if (col == 0) return ex.input_split >= 0 ? user.substr(0, static_cast<size_t>(ex.input_split)) : user;
      if (col == 1) return ex.input_split >= 0 && static_cast<size_t>(ex.input_split) + 1 <= user.size()
                               ? user.substr(static_cast<size_t>(ex.input_split) + 1)
                               : std::string();
      return LastOf(ex.messages, Role::Assistant);
    }
    case Format::ShareGPT:
    case Format::Messages:
      if (col == 0) return std::to_string(ex.messages.size());
      if (col == 1) return FirstOf(ex.messages, Role::User);
      return LastOf(ex.messages, Role::Assistant);
    case Format::Preference:
      if (col == 0) return LastOf(ex.messages, Role::User);
      if (col == 1) return Joined(ex.chosen);
      return Joined(ex.rejected);
    case Format::KTO:
      if (col == 0) return LastOf(ex.messages, Role::User);
      if (col == 1) return LastOf(ex.messages, Role::Assistant);
      return ex.label < 0 ? "" : (ex.label ? "true" : "false");
    case Format::Text: return ex.text;
    default: return ex.has_text ? ex.text : Joined(ex.messages);
  }
}

void DrawSearchBar(Studio& s) {
  bool changed = false;
  float w = ImGui::GetContentRegionAvail().x;
  if (s.focus_search) {
    ImGui::SetKeyboardFocusHere();
    s.focus_search = false;
  }
  ImGui::SetNextItemWidth(w * 0.38f);
  if (ImGui::InputTextWithHint("##search", s.search_edit.regex ? "RE2 regular expression (Ctrl+F)" : "Search text (Ctrl+F)",
                               &s.search_edit.text)) {
    changed = true;
  }
  ImGui::SameLine();
  changed |= ImGui::Checkbox("Regex", &s.search_edit.regex);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("RE2 syntax; linear time, so any pattern is safe on any data.");
  ImGui::SameLine();
  changed |= ImGui::Checkbox("Case", &s.search_edit.case_sensitive);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(150 * s.scale);
  const char* preview = s.search_edit.fields == kFieldAll ? "all fields" : "some fields";
  if (ImGui::BeginCombo("##fields", preview)) {
    struct F { const char* name; uint32_t bit; } fields[] = {{"system", kFieldSystem}, {"user", kFieldUser},
        {"assistant", kFieldAssistant}, {"tool", kFieldTool}, {"text", kFieldText}, {"other fields (meta)", kFieldMeta}};
    for (const F& f : fields) {
      bool on = (s.search_edit.fields & f.bit) != 0;
      if (ImGui::Checkbox(f.name, &on)) {
        s.search_edit.fields = on ? (s.search_edit.fields | f.bit) : (s.search_edit.fields & ~f.bit);
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  if (changed && s.HasData()) {
    s.search_error.clear();
    std::string err;
    if (!s.search.Start(s.loader.dataset(), s.search_edit, &err)) s.search_error = err;
  }
  if (!s.search_error.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(0.95f, 0.45f, 0.40f, 1), "%s", s.search_error.c_str());
  } else if (s.search.Active()) {
    ImGui::SameLine();
    size_t total = s.loader.dataset().size();
    if (s.search.Done()) {
      ImGui::Text("%s", CountOf(s.search.Matches().size(), "match", "matches").c_str());
    } else {
      ImGui::Text("%s, searched %d%%", CountOf(s.search.Matches().size(), "match", "matches").c_str(),
                  static_cast<int>(100.0 * static_cast<double>(s.search.Scanned()) / static_cast<double>(total ? total : 1)));
    }
  }
}

void DrawTable(Studio& s) {
  const Dataset& ds = s.loader.dataset();
  Format f = s.loader.format();
  Columns cols = ColumnsFor(f);
  bool verdicts = s.run.state() == RunDriver::State::Done;
  int ncol = static_cast<int>(cols.names.size()) + 2 + (verdicts ? 1 : 0);  // + # and tokens
  bool filtered = s.search.Active();
  size_t count = filtered ? s.search.Matches().size() : ds.size();
  ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                          ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("rows", ncol, flags, ImVec2(0, 0))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, 70 * s.scale);
  for (const char* n : cols.names) {
    bool narrow = std::string_view(n) == "turns" || std::string_view(n) == "label";
    if (narrow) ImGui::TableSetupColumn(n, ImGuiTableColumnFlags_WidthFixed, 60 * s.scale);
    else ImGui::TableSetupColumn(n, ImGuiTableColumnFlags_WidthStretch, 1.0f);
  }
  // Tokens after the chat template (view_template.cpp; "~tokens" = an estimate without a tokenizer).
  ImGui::TableSetupColumn(TokenColumnName(s), ImGuiTableColumnFlags_WidthFixed, 72 * s.scale);
  if (verdicts) ImGui::TableSetupColumn("verdict", ImGuiTableColumnFlags_WidthFixed, 190 * s.scale);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(count));
  while (clipper.Step()) {
    for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
      size_t i = filtered ? s.search.Matches()[static_cast<size_t>(r)] : static_cast<size_t>(r);
      Example ex = ds.Get(i);
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      char label[32];
      std::snprintf(label, sizeof label, "%llu", static_cast<unsigned long long>(i + 1));
      bool sel = s.selected == static_cast<int64_t>(i);
      if (ImGui::Selectable(label, sel, ImGuiSelectableFlags_SpanAllColumns)) s.selected = static_cast<int64_t>(i);
      for (int c = 0; c < static_cast<int>(cols.names.size()); ++c) {
        ImGui::TableSetColumnIndex(c + 1);
        std::string text = OneLine(Cell(ex, f, c), 240);
        ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size());
      }
      ImGui::TableSetColumnIndex(static_cast<int>(cols.names.size()) + 1);
      std::string tokens = TokenCountCell(s, i);
      ImGui::TextUnformatted(tokens.c_str());
      if (verdicts) {
        ImGui::TableSetColumnIndex(ncol - 1);
        std::string v = s.run.VerdictOf(i);
        auto ov = s.overrides.find(i);
        if (ov != s.overrides.end() && ov->second.verdict >= 0) {
          ImGui::TextColored(ImVec4(0.85f, 0.70f, 0.30f, 1), "%s (review)", ov->second.verdict ? "keep" : "drop");
        } else if (v.empty()) {
          ImGui::TextColored(ImVec4(0.35f, 0.75f, 0.55f, 1), "kept");
        } else {
          ImGui::TextColored(ImVec4(0.90f, 0.45f, 0.40f, 1), "%s", v.c_str());
        }
      }
    }
  }
  // The first row in view (for tests: a wheel turn or a scrollbar drag must move it).
  const float row_h = ImGui::GetTextLineHeightWithSpacing();
  s.data_top_row = row_h > 0 ? static_cast<int64_t>(ImGui::GetScrollY() / row_h) : 0;
  ImGui::EndTable();
}

void DrawInspector(Studio& s) {
  const Dataset& ds = s.loader.dataset();
  if (s.selected < 0 || static_cast<size_t>(s.selected) >= ds.size()) {
    ImGui::Spacing();
    ImGui::TextDisabled("Select a row to inspect it.");
    return;
  }
  size_t i = static_cast<size_t>(s.selected);
  Example ex = ds.Get(i);
  // A row beyond the part of the data scanned at load may hold characters the atlas lacks.
  for (const Message& m : ex.messages) s.NoteGlyphs(m.content);
  for (const Message& m : ex.chosen) s.NoteGlyphs(m.content);
  for (const Message& m : ex.rejected) s.NoteGlyphs(m.content);
  s.NoteGlyphs(ex.text);
  char id[17] = {};
  HexU64(ex.id, id);
  ImGui::Text("Row %llu", static_cast<unsigned long long>(i + 1));
  ImGui::SameLine();
  ImGui::TextDisabled("line %llu \xC2\xB7 byte %llu \xC2\xB7 id %s", static_cast<unsigned long long>(ex.origin.line),
                      static_cast<unsigned long long>(ex.origin.offset), id);
  // The table lists only matches while a search is on; say so when the selected row is not one,
  // so the inspector never seems to show a search result it is not.
  if (s.search.Active() && !s.search.RowMatches(i)) {
    ImGui::TextColored(ImVec4(0.85f, 0.70f, 0.30f, 1), "Not in the search results: clear the search to see this row in the table.");
  }
  if (ImGui::Checkbox("Template", &s.show_template) && s.show_template) s.raw_json = false;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show the row rendered with a chat template: assistant mask and special tokens highlighted.");
  ImGui::SameLine();
  if (ImGui::Checkbox("Raw JSON", &s.raw_json) && s.raw_json) s.show_template = false;
  ImGui::SameLine();
  if (ImGui::SmallButton("Review this row")) {
    s.review_row = static_cast<int64_t>(i);
    s.SelectTab(Tab::Review);
  }
  if (s.run.state() == RunDriver::State::Done) {
    std::string v = s.run.VerdictOf(i);
    ImGui::SameLine();
    if (v.empty()) ImGui::TextColored(ImVec4(0.35f, 0.75f, 0.55f, 1), "kept");
    else ImGui::TextColored(ImVec4(0.90f, 0.45f, 0.40f, 1), "%s", v.c_str());
  }
  ImGui::Separator();
  if (s.show_template) {
    DrawTemplateInspector(s, i);
    return;
  }
  ImGui::BeginChild("inspect_body");
  if (s.raw_json) {
    std::string out, why;
    if (!EncodeExample(ex, ex.source_format, &out, &why)) out = "(cannot encode: " + why + ")";
    nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    std::string pretty = j.is_discarded() ? out : j.dump(2);
    ImGui::PushFont(s.font_mono);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(pretty.c_str(), pretty.c_str() + pretty.size());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
  } else {
    DrawChatBubbles(s, ex, nullptr);
    if (!ex.meta.empty() && ex.meta != "{}") {
      ImGui::Spacing();
      if (ImGui::TreeNode("other fields")) {
        nlohmann::json j = nlohmann::json::parse(ex.meta, nullptr, false);
        std::string pretty = j.is_discarded() ? ex.meta : j.dump(2);
        ImGui::PushFont(s.font_mono);
        ImGui::TextUnformatted(pretty.c_str());
        ImGui::PopFont();
        ImGui::TreePop();
      }
    }
  }
  ImGui::EndChild();
}

void DrawProblems(Studio& s) {
  const auto& ps = s.loader.problems();
  if (ps.empty()) return;
  char title[96];
  std::snprintf(title, sizeof title, "%s (%s with step \"read\")",
                CountOf(ps.size(), "row could not be read", "rows could not be read").c_str(),
                ps.size() == 1 ? "it will be rejected" : "they will be rejected");
  if (ImGui::CollapsingHeader(title)) {
    ImGui::BeginChild("problems", ImVec2(0, 120 * s.scale), true);
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(ps.size()));
    while (clip.Step()) {
      for (int k = clip.DisplayStart; k < clip.DisplayEnd; ++k) {
        const RowProblem& p = ps[static_cast<size_t>(k)];
        ImGui::Text("line %llu, byte %llu: %s \xE2\x80\x94 %s", static_cast<unsigned long long>(p.origin.line),
                    static_cast<unsigned long long>(p.origin.offset), p.reason.c_str(), p.detail.c_str());
      }
    }
    ImGui::EndChild();
  }
}

void DrawWelcome(Studio& s) {
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ImGui::SetCursorPos(ImVec2(ImGui::GetCursorPosX() + avail.x * 0.25f, ImGui::GetCursorPosY() + avail.y * 0.22f));
  ImGui::BeginGroup();
  ImGui::PushFont(s.font_big);
  ImGui::TextUnformatted("Clean fine-tuning data on your own machine");
  ImGui::PopFont();
  ImGui::Spacing();
  ImGui::TextWrapped("Open a JSONL, JSON or CSV file (gzip too) in Alpaca, ShareGPT, OpenAI messages, preference, "
                     "KTO or plain-text format. Nothing is uploaded: the file is read here and every output is saved here.");
  ImGui::Spacing();
  if (ImGui::Button("Open a dataset...  (Ctrl+O)")) s.RequestOpen(PickKind::Dataset);
  ImGui::SameLine();
  ImGui::TextDisabled("or drop a file anywhere on this window");
  ImGui::EndGroup();
}

}  // namespace

void DrawDataView(Studio& s) {
  const DatasetLoader& l = s.loader;
  if (l.state() == DatasetLoader::State::Idle || l.state() == DatasetLoader::State::Cancelled ||
      (l.state() == DatasetLoader::State::Failed)) {
    if (l.state() == DatasetLoader::State::Failed) {
      ImGui::TextColored(ImVec4(0.95f, 0.45f, 0.40f, 1), "Could not open %s", l.name().c_str());
      ImGui::TextWrapped("%s", l.error().c_str());
    }
    DrawWelcome(s);
    return;
  }
  if (l.Active()) {
    ImGui::Text("Reading %s: %s rows so far", l.name().c_str(), GroupedCount(l.TotalRows()).c_str());
    return;
  }
  DrawSearchBar(s);
  DrawProblems(s);
  float avail = ImGui::GetContentRegionAvail().x;
  ImGui::BeginChild("table_pane", ImVec2(avail * 0.58f, 0), false);
  DrawTable(s);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("inspector", ImVec2(0, 0), true);
  DrawInspector(s);
  ImGui::EndChild();
}

}  // namespace winnow::ui
