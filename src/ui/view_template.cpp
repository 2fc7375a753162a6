// Template inspector: the selected row rendered with the chosen chat template, drawn in the
// monospace font with the assistant mask (the bytes trained on) and special-token strings
// highlighted; the template / tokenizer choosers; the token-count cell of the data view's table;
// loading the template and tokenizer files the user opens; the template part of the status JSON.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/studio.h"

namespace winnow::ui {

namespace {

struct Palette {
  ImU32 assistant_bg, special_bg, special_text, text, faint;
};

Palette Colors(bool dark) {
  if (dark) {
    return {IM_COL32(38, 120, 84, 120), IM_COL32(150, 95, 25, 110), IM_COL32(255, 190, 90, 255),
            ImGui::GetColorU32(ImGuiCol_Text), IM_COL32(140, 140, 140, 160)};
  }
  return {IM_COL32(120, 210, 160, 130), IM_COL32(250, 200, 120, 150), IM_COL32(160, 80, 0, 255),
          ImGui::GetColorU32(ImGuiCol_Text), IM_COL32(120, 120, 120, 180)};
}

// Text of bytes [a, b) as drawn: tabs and other control characters get a visible glyph.
std::string Displayed(std::string_view text, size_t a, size_t b) {
  std::string out;
  out.reserve(b - a);
  for (size_t i = a; i < b; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\t') out += "\xE2\x86\x92";       // →
    else if (c == '\r') out += "\xE2\x86\x90";  // ←
    else if (c < 0x20) out += "\xC2\xB7";       // ·
    else out.push_back(static_cast<char>(c));
  }
  return out;
}

void Swatch(ImU32 color, const char* label) {
  float h = ImGui::GetTextLineHeight();
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + h * 1.6f, p.y + h), color, 3);
  ImGui::Dummy(ImVec2(h * 1.6f, h));
  ImGui::SameLine();
  ImGui::TextUnformatted(label);
}

void DrawRenderedText(Studio& s, TemplatePreview& tp, const TemplatePreview::Preview& pv) {
  const std::string& text = pv.rendered.text;
  Palette pal = Colors(s.dark);
  ImGui::PushFont(s.font_mono);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
  ImFont* font = ImGui::GetFont();
  float size = ImGui::GetFontSize();
  float cw = font->CalcTextSizeA(size, 1e9f, 0, "M").x;
  float lh = ImGui::GetTextLineHeight() + 2 * s.scale;
  float avail = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
  size_t columns = static_cast<size_t>(std::max(8.0f, avail / std::max(cw, 1.0f)) - 1);
  const std::vector<TextLine>& lines = tp.PreviewLines(columns);
  const std::vector<HighlightRun>& runs = pv.runs;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(lines.size()), lh);
  while (clip.Step()) {
    for (int li = clip.DisplayStart; li < clip.DisplayEnd; ++li) {
      const TextLine& L = lines[static_cast<size_t>(li)];
      ImVec2 pos = ImGui::GetCursorScreenPos();
      float x = pos.x;
      // First run that ends after the line's start.
      auto it = std::upper_bound(runs.begin(), runs.end(), L.begin, [](size_t v, const HighlightRun& r) { return v < r.end; });
      for (; it != runs.end() && it->begin < L.end; ++it) {
        size_t a = std::max(it->begin, L.begin), b = std::min(it->end, L.end);
        std::string seg = Displayed(text, a, b);
        // Measured, not cols * cw: a CJK glyph of the fallback font is narrower than two cells.
        float w = font->CalcTextSizeA(size, 1e9f, 0, seg.data(), seg.data() + seg.size()).x;
        if (it->assistant) dl->AddRectFilled(ImVec2(x, pos.y), ImVec2(x + w, pos.y + lh), pal.assistant_bg);
        if (it->special) dl->AddRectFilled(ImVec2(x, pos.y + 1), ImVec2(x + w, pos.y + lh - 1), pal.special_bg, 3);
        dl->AddText(font, size, ImVec2(x, pos.y + s.scale), it->special ? pal.special_text : pal.text, seg.data(), seg.data() + seg.size());
        x += w;
      }
      if (L.newline) {
        // The '\n' itself: a faint return mark, on the mask colour when the newline is trained on.
        auto nl = std::upper_bound(runs.begin(), runs.end(), L.end, [](size_t v, const HighlightRun& r) { return v < r.end; });
        if (nl != runs.end() && nl->begin <= L.end && nl->assistant) {
          dl->AddRectFilled(ImVec2(x, pos.y), ImVec2(x + cw, pos.y + lh), pal.assistant_bg);
        }
        dl->AddText(font, size, ImVec2(x, pos.y + s.scale), pal.faint, "\xE2\x86\xB5");  // ↵
        x += cw;
      }
      ImGui::Dummy(ImVec2(std::max(x - pos.x, 1.0f), lh));
    }
  }
  ImGui::PopStyleVar();
  ImGui::PopFont();
}

bool Combo(const char* id, const std::vector<std::string>& names, int* current, float width) {
  bool changed = false;
  ImGui::SetNextItemWidth(width);
  const char* preview = *current >= 0 && *current < static_cast<int>(names.size()) ? names[static_cast<size_t>(*current)].c_str() : "";
  if (ImGui::BeginCombo(id, preview)) {
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
      if (ImGui::Selectable(names[static_cast<size_t>(i)].c_str(), i == *current)) {
        *current = i;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

void DrawChoosers(Studio& s) {
  TemplatePreview& tp = s.templ;
  int t = static_cast<int>(tp.TemplateIndex());
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Template");
  ImGui::SameLine();
  if (Combo("##template", tp.TemplateNames(), &t, 180 * s.scale)) {
    Status st = tp.ChooseTemplate(static_cast<size_t>(t));
    if (!st.ok()) s.Toast(st.error().message, 8);
  }
  if (ImGui::IsItemHovered() && tp.Template() && !tp.Template()->checked_against.empty()) {
    ImGui::SetTooltip("checked against %s", tp.Template()->checked_against.c_str());
  }
  ImGui::SameLine();
  if (ImGui::Button("Open template...")) s.RequestOpen(PickKind::Template);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("A .jinja file or a model's tokenizer_config.json (chat_template as a string or a named list).");
  ImGui::SameLine();
  bool agp = tp.AddGenerationPrompt();
  if (ImGui::Checkbox("generation prompt", &agp)) tp.SetAddGenerationPrompt(agp);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("add_generation_prompt: end with the assistant header, as at inference.");
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Tokens  ");
  ImGui::SameLine();
  int k = tp.TokenizerIndex() + 1;
  if (Combo("##tokenizer", tp.TokenizerNames(), &k, 180 * s.scale)) tp.ChooseTokenizer(k - 1);
  ImGui::SameLine();
  if (ImGui::Button("Open tokenizer...")) s.RequestOpen(PickKind::Tokenizer);
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("A tiktoken rank file (cl100k_base.tiktoken, o200k_base.tiktoken), a Hugging Face tokenizer.json,\n"
                      "or a WordPiece vocabulary list. Without one, counts are an estimate (characters / 4).");
  }
}

}  // namespace

void DrawTemplateInspector(Studio& s, size_t row) {
  TemplatePreview& tp = s.templ;
  const Dataset& ds = s.loader.dataset();
  DrawChoosers(s);
  // Token counts of the whole dataset, a slice per frame while this view is open.
  TemplatePreview::Summary sum = tp.Summarize();
  if (sum.counted + sum.errors < ds.size()) {
    double t0 = s.host.Now();
    bool done = false;
    while (!(done = tp.CountSome(ds, 16)) && s.host.Now() - t0 < 0.006) {
    }
    s.templ_counting = !done;
  } else {
    s.templ_counting = false;
  }
  const TemplatePreview::Preview& pv = tp.PreviewOf(ds, row);
  if (!pv.ok) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.45f, 0.40f, 1));
    ImGui::TextWrapped("The template fails on this row: %s", pv.error.c_str());
    ImGui::PopStyleColor();
    return;
  }
  const RenderedExample& r = pv.rendered;
  std::string count = GroupedCount(pv.tokens);
  if (tp.Exact()) {
    ImGui::Text("%s tokens", count.c_str());
  } else {
    ImGui::Text("\xE2\x89\x88 %s tokens", count.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("An estimate (characters / 4): open a tokenizer for exact counts.");
  }
  ImGui::SameLine();
  // Wrapped: the line is long in a narrow inspector.
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("\xC2\xB7 %s bytes \xC2\xB7 mask %zu span%s, %s bytes%s \xC2\xB7 %zu special", GroupedCount(r.text.size()).c_str(),
                     r.assistant.size(), r.assistant.size() == 1 ? "" : "s", GroupedCount(pv.assistant_bytes).c_str(),
                     r.assistant_from_generation ? " ({% generation %})" : "", r.special.size());
  ImGui::PopStyleColor();
  ImVec4 warn(0.90f, 0.72f, 0.30f, 1);
  if (pv.raw_text) ImGui::TextColored(warn, "A text row: shown as it is (no chat template applies to plain text).");
  if (r.system_dropped) ImGui::TextColored(warn, "This template drops the system message: its content is not in the text.");
  if (r.assistant_messages_missing) {
    ImGui::TextColored(warn, "%zu assistant message%s not found in the text (not in the mask).", r.assistant_messages_missing,
                       r.assistant_messages_missing == 1 ? "" : "s");
  }
  Palette pal = Colors(s.dark);
  Swatch(pal.assistant_bg, "assistant mask (trained on)");
  ImGui::SameLine(0, 14 * s.scale);
  Swatch(pal.special_bg, "special token");
  ImGui::SameLine(0, 14 * s.scale);
  ImGui::TextDisabled("\xE2\x86\xB5 newline");
  sum = tp.Summarize();
  ImGui::TextDisabled("dataset: %s of %s rows counted, mean %.0f, max %s%s%s", GroupedCount(sum.counted).c_str(), GroupedCount(ds.size()).c_str(),
                      sum.mean, GroupedCount(static_cast<uint64_t>(sum.max)).c_str(), sum.errors ? ", errors " : "",
                      sum.errors ? GroupedCount(sum.errors).c_str() : "");
  ImGui::BeginChild("rendered", ImVec2(0, 0), true);
  DrawRenderedText(s, tp, pv);
  ImGui::EndChild();
}

std::string TokenCountCell(Studio& s, size_t row) {
  int64_t n = s.templ.Count(s.loader.dataset(), row);
  if (n < 0) return "error";
  return GroupedCount(static_cast<uint64_t>(n));
}

const char* TokenColumnName(const Studio& s) { return s.templ.Exact() ? "tokens" : "~tokens"; }

void LoadTemplateFile(Studio& s, PickKind kind, const std::string& path, std::string_view bytes) {
  // Shown and chosen by the file's base name (a tiktoken file's name also says its encoding).
  size_t slash = path.find_last_of("/\\");
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  Status st = kind == PickKind::Tokenizer ? s.templ.AddTokenizerFile(name, bytes) : s.templ.AddTemplateFile(name, bytes);
  if (!st.ok()) {
    s.Toast("Cannot use " + name + ": " + st.error().message, 10);
    return;
  }
  s.show_template = true;
  s.raw_json = false;
  s.Toast(kind == PickKind::Tokenizer ? "Token counts now use " + name : "Rendering with the template from " + name);
}

nlohmann::json TemplateStatus(const Studio& s) {
  const TemplatePreview& tp = s.templ;
  nlohmann::json j{{"template", tp.TemplateNames()[tp.TemplateIndex()]},
                   {"tokenizer", tp.TokenizerNames()[static_cast<size_t>(tp.TokenizerIndex() + 1)]},
                   {"exact", tp.Exact()},
                   {"shown", s.show_template}};
  // The row last drawn in the inspector (the status never renders anything itself).
  const TemplatePreview::Preview& pv = tp.LastPreview();
  if (pv.row >= 0) {
    j["row"] = pv.row;
    j["ok"] = pv.ok;
    j["error"] = pv.error;
    j["tokens"] = pv.tokens;
    j["bytes"] = pv.rendered.text.size();
    j["assistant_spans"] = pv.rendered.assistant.size();
    j["assistant_bytes"] = pv.assistant_bytes;
    j["special_spans"] = pv.rendered.special.size();
  }
  TemplatePreview::Summary sum = tp.Summarize();
  j["counted"] = sum.counted;
  j["count_errors"] = sum.errors;
  return j;
}

}  // namespace winnow::ui
