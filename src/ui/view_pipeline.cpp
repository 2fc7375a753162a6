// Pipeline view: the steps of the pipeline document (add, remove, reorder), a fitting widget for
// each parameter (tooltips give the default), presets, load / save, and a share link that carries
// the pipeline (never the data) in the URL fragment.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>
#include <map>

#include "pipeline/param_docs.h"
#include "pipeline/step.h"
#include "ui/param_choices.h"
#include "ui/resources.h"
#include "ui/share_link.h"
#include "ui/studio.h"

namespace winnow::ui {

namespace {

// Effective parameters (defaults filled in) of one step, recomputed only when its params change:
// configuring some steps compiles many regular expressions.
struct StepEval {
  std::string key;  // type + params text
  bool known = false;
  std::string error;
  nlohmann::json effective;
  std::string summary;
};
std::map<size_t, StepEval>& EvalCache() {
  static std::map<size_t, StepEval> cache;
  return cache;
}

const StepEval& Evaluate(size_t index, const nlohmann::json& step) {
  std::string type = step.value("type", "");
  nlohmann::json params = step.contains("params") ? step["params"] : nlohmann::json::object();
  std::string key = type + "\n" + params.dump();
  StepEval& e = EvalCache()[index];
  if (e.key == key && !e.key.empty()) return e;
  e = StepEval{};
  e.key = key;
  const StepInfo* info = FindStep(type);
  if (!info) {
    e.error = "unknown step type \"" + type + "\"";
    return e;
  }
  e.known = true;
  e.summary = info->summary;
  auto st = info->make();
  Status cs = st->Configure(params.is_null() ? nlohmann::json::object() : params);
  if (!cs.ok()) e.error = cs.error().message;
  e.effective = st->Params();
  return e;
}

std::string StepLabel(const nlohmann::json& step) {
  std::string type = step.value("type", "?");
  if (step.contains("id") && step["id"].is_string() && step["id"].get<std::string>() != type) {
    return step["id"].get<std::string>() + "  (" + type + ")";
  }
  return type;
}

std::string ListText(const nlohmann::json& arr) {
  std::string out;
  for (const auto& v : arr) {
    if (!out.empty()) out += "\n";
    out += v.is_string() ? v.get<std::string>() : v.dump();
  }
  return out;
}

// One parameter widget. Returns true when *value changed.
// `type` is the step type for a top-level parameter (its choices are looked up), empty for a
// member of an object parameter; `def` is the parameter's default.
// A description broken into lines of about 60 characters at spaces, for a tooltip.
std::string WrapTip(std::string_view text) {
  std::string out;
  size_t col = 0;
  for (size_t i = 0; i < text.size();) {
    size_t sp = text.find(' ', i);
    if (sp == std::string_view::npos) sp = text.size();
    std::string_view word = text.substr(i, sp - i);
    if (col > 0 && col + 1 + word.size() > 60) {
      out += '\n';
      col = 0;
    } else if (col > 0) {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
    i = sp + 1;
  }
  return out;
}

bool ParamWidget(Studio& s, const std::string& type, const std::string& key, nlohmann::json* value, const nlohmann::json& def) {
  ImGui::PushID(key.c_str());
  bool changed = false;
  nlohmann::json& v = *value;
  float w = ImGui::GetContentRegionAvail().x * 0.55f;
  const std::vector<std::string>* choices = nullptr;
  if (!type.empty() && (v.is_string() || v.is_array())) {
    const std::vector<std::string>& c = AllowedValues(type, key, v.is_array());
    if (!c.empty()) choices = &c;
  }
  if (choices && v.is_string()) {
    // One of a fixed set: a combo box with exactly the values the step accepts.
    std::string cur = v.get<std::string>();
    ImGui::SetNextItemWidth(w);
    if (ImGui::BeginCombo(key.c_str(), cur.c_str())) {
      for (const std::string& c : *choices) {
        if (ImGui::Selectable(c.c_str(), c == cur)) {
          v = c;
          changed = true;
        }
      }
      ImGui::EndCombo();
    }
  } else if (choices && v.is_array() && choices->size() <= 12) {
    // A subset of a small fixed set: one checkbox per value, in the step's order.
    ImGui::TextUnformatted(key.c_str());
    if (ImGui::IsItemHovered() && !ParamDoc(type, key).empty()) {
      ImGui::SetTooltip("%s\n%s", key.c_str(), WrapTip(ParamDoc(type, key)).c_str());
    }
    ImGui::Indent();
    float x_end = ImGui::GetContentRegionAvail().x;
    float used = 0;
    for (size_t k = 0; k < choices->size(); ++k) {
      const std::string& c = (*choices)[k];
      bool on = false;
      for (const auto& e : v) on |= e.is_string() && e.get<std::string>() == c;
      float item = ImGui::CalcTextSize(c.c_str()).x + ImGui::GetFrameHeight() + 3 * ImGui::GetStyle().ItemSpacing.x;
      if (k > 0 && used + item < x_end) ImGui::SameLine();
      else used = 0;
      used += item;
      if (ImGui::Checkbox(c.c_str(), &on)) {
        nlohmann::json arr = nlohmann::json::array();
        for (const std::string& c2 : *choices) {
          bool has = c2 == c ? on : false;
          if (c2 != c) {
            for (const auto& e : v) has |= e.is_string() && e.get<std::string>() == c2;
          }
          if (has) arr.push_back(c2);
        }
        v = arr;
        changed = true;
      }
    }
    ImGui::Unindent();
  } else if (v.is_boolean()) {
    bool b = v.get<bool>();
    if (ImGui::Checkbox(key.c_str(), &b)) {
      v = b;
      changed = true;
    }
  } else if (v.is_number_integer() || v.is_number_unsigned()) {
    int64_t n = v.get<int64_t>();
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputScalar(key.c_str(), ImGuiDataType_S64, &n, nullptr, nullptr, "%lld")) {
      v = n;
      changed = true;
    }
  } else if (v.is_number_float()) {
    double d = v.get<double>();
    ImGui::SetNextItemWidth(w);
    if (d >= 0.0 && d <= 1.0 && key.find("ratio") == std::string::npos && key.find("max") == std::string::npos &&
        key.find("min") == std::string::npos) {
      float f = static_cast<float>(d);
      if (ImGui::SliderFloat(key.c_str(), &f, 0.0f, 1.0f, "%.3f")) {
        v = static_cast<double>(static_cast<int>(f * 1000.0f + 0.5f)) / 1000.0;  // 3 decimals: stable JSON text
        changed = true;
      }
    } else if (ImGui::InputDouble(key.c_str(), &d, 0, 0, "%.4g")) {
      v = d;
      changed = true;
    }
  } else if (v.is_string()) {
    std::string text = v.get<std::string>();
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputText(key.c_str(), &text)) {
      v = text;
      changed = true;
    }
  } else if (v.is_array()) {
    bool all_strings = true;
    for (const auto& e : v) all_strings &= e.is_string();
    std::string text = ListText(v);
    ImGui::TextUnformatted(key.c_str());
    ImGui::SetNextItemWidth(w);
    float lines = static_cast<float>(std::min<size_t>(std::max<size_t>(v.size(), 2), 6));
    if (ImGui::InputTextMultiline("##list", &text, ImVec2(w, ImGui::GetTextLineHeight() * lines + 10 * s.scale))) {
      nlohmann::json arr = nlohmann::json::array();
      size_t start = 0;
      while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        if (!line.empty()) {
          if (all_strings) {
            arr.push_back(line);
          } else {
            nlohmann::json e = nlohmann::json::parse(line, nullptr, false);
            arr.push_back(e.is_discarded() ? nlohmann::json(line) : e);
          }
        }
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
      v = arr;
      changed = true;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("one per line");
  } else if (v.is_object()) {
    const bool open = ImGui::TreeNode(key.c_str());
    if (ImGui::IsItemHovered() && !ParamDoc(type, key).empty()) {
      ImGui::SetTooltip("%s\n%s", key.c_str(), WrapTip(ParamDoc(type, key)).c_str());
    }
    if (open) {
      // Keys inside an object parameter are documented under "<type>.<key>" (param_docs.h).
      const std::string inner = type.empty() ? std::string() : type + "." + key;
      for (auto it = v.begin(); it != v.end(); ++it) {
        nlohmann::json d = def.is_object() && def.contains(it.key()) ? def[it.key()] : nlohmann::json();
        changed |= ParamWidget(s, inner, it.key(), &it.value(), d);
      }
      ImGui::TreePop();
    }
  } else {
    std::string text = v.dump();
    ImGui::SetNextItemWidth(w);
    if (ImGui::InputText(key.c_str(), &text, ImGuiInputTextFlags_EnterReturnsTrue)) {
      nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
      if (!parsed.is_discarded()) {
        v = parsed;
        changed = true;
      }
    }
  }
  if (ImGui::IsItemHovered() && !v.is_object()) {
    std::string tip = key;
    if (std::string_view doc = ParamDoc(type, key); !doc.empty()) tip += "\n" + WrapTip(doc);
    tip += "\ndefault: " + (def.is_null() ? std::string("(none)") : def.dump());
    if (!def.is_null() && v != def) tip += "\nnow: " + v.dump();
    if (choices) {
      tip += "\none of:";
      for (const std::string& c : *choices) tip += " " + c;
    }
    ImGui::SetTooltip("%s", tip.c_str());
  }
  ImGui::PopID();
  return changed;
}

int g_selected_step = 0;

void DrawPresetsAndFile(Studio& s) {
  ImGui::SetNextItemWidth(220 * s.scale);
  if (ImGui::BeginCombo("##preset", "Load a preset...")) {
    for (size_t i = 0; i < kEmbeddedFileCount; ++i) {
      std::string_view n = kEmbeddedFiles[i].name;
      if (n.substr(0, 8) != "presets/") continue;
      std::string name(n.substr(8, n.size() - 8 - 5));
      if (ImGui::Selectable(name.c_str())) {
        Status st = s.SetPipelineText(EmbeddedText(kEmbeddedFiles[i]), "preset " + name);
        if (!st.ok()) s.Toast(st.error().message);
        EvalCache().clear();
        g_selected_step = 0;
      }
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::Button("Open pipeline...")) s.RequestOpen(PickKind::Pipeline);
  if (!s.host.NativeFiles()) {
    // score.model / dedup.semantic name their .onnx and tokenizer files; in the page they must be added first.
    ImGui::SameLine();
    if (ImGui::Button("Model files...")) s.host.PickFile(PickKind::ModelFiles);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Add an .onnx model and its tokenizer.json / vocab.txt; name them in the step's\n"
                        "\"model\" and \"tokenizer\" params (score.model, dedup.semantic)");
    ImGui::SameLine();
    if (ImGui::Button("Reference files...")) s.host.PickFile(PickKind::References);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Add benchmark reference files (JSONL or a JSON array, e.g. a test split) for\n"
                        "decontaminate; name them in its \"references\" param. They stay in this tab.");
  }
  ImGui::SameLine();
  if (ImGui::Button("Save pipeline")) {
    std::string where;
    const std::string text = s.PipelineText(true);
    Status st = s.host.SaveFile("pipeline.json", {text}, &where);
    s.Toast(st.ok() ? "Saved the pipeline to " + where : st.error().message);
  }
  ImGui::SameLine();
  if (ImGui::Button("Copy share link")) {
    s.share_link = s.host.PageUrl() + ShareFragment(s.PipelineText(false));
    s.host.CopyText(s.share_link);
    s.host.SetFragment(ShareFragment(s.PipelineText(false)));
    s.Toast("Share link copied. It carries the pipeline only, never your data.");
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("A link that opens this studio with this pipeline.\nThe data never leaves your machine.");
  ImGui::SameLine();
  ImGui::TextDisabled("from %s", s.pipeline_source.c_str());
  if (!s.share_link.empty()) {
    ImGui::SetNextItemWidth(-1);
    ImGui::InputText("##link", &s.share_link, ImGuiInputTextFlags_ReadOnly);
  }
  if (!s.pipeline_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.45f, 0.40f, 1));
    ImGui::TextWrapped("%s", s.pipeline_error.c_str());
    ImGui::PopStyleColor();
  }
}

void DrawHeaderFields(Studio& s) {
  nlohmann::json& p = s.pipeline;
  std::string name = p.value("name", "");
  ImGui::SetNextItemWidth(260 * s.scale);
  if (ImGui::InputText("name", &name)) p["name"] = name;
  ImGui::SameLine();
  int64_t seed = p.contains("seed") && p["seed"].is_number_integer() ? p["seed"].get<int64_t>() : 0;
  ImGui::SetNextItemWidth(140 * s.scale);
  if (ImGui::InputScalar("seed", ImGuiDataType_S64, &seed, nullptr, nullptr, "%lld")) p["seed"] = seed;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Same data + same pipeline + same seed = byte-identical outputs, here, on the desktop and in the CLI.");
  ImGui::SameLine();
  static const char* kAnnotations[] = {"flagged", "all", "none"};
  std::string cur = p.contains("annotations") && p["annotations"].is_string() ? p["annotations"].get<std::string>() : "flagged";
  int a = 0;
  for (int i = 0; i < 3; ++i) {
    if (cur == kAnnotations[i]) a = i;
  }
  ImGui::SetNextItemWidth(110 * s.scale);
  if (ImGui::Combo("annotations", &a, kAnnotations, 3)) {
    if (a == 0) p.erase("annotations");
    else p["annotations"] = kAnnotations[a];
  }
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("Which rows get a line in annotations.jsonl (their verdict, flags, quality scores, languages, clusters):\n"
                      "flagged - the rows a step flagged (the default)\nall - every row (more memory with a split step)\n"
                      "none - no annotations.jsonl");
  }
}

}  // namespace

void DrawPipelineView(Studio& s) {
  DrawPresetsAndFile(s);
  DrawHeaderFields(s);
  ImGui::Separator();
  nlohmann::json& steps = s.pipeline["steps"];
  if (!steps.is_array()) steps = nlohmann::json::array();
  if (g_selected_step >= static_cast<int>(steps.size())) g_selected_step = static_cast<int>(steps.size()) - 1;

  ImGui::BeginChild("steps", ImVec2(ImGui::GetContentRegionAvail().x * 0.36f, 0), true);
  ImGui::TextDisabled("STEPS  (run top to bottom)");
  int move_from = -1, move_to = -1, remove = -1;
  for (int i = 0; i < static_cast<int>(steps.size()); ++i) {
    ImGui::PushID(i);
    const StepEval& e = Evaluate(static_cast<size_t>(i), steps[static_cast<size_t>(i)]);
    char label[160];
    std::snprintf(label, sizeof label, "%d. %s", i + 1, StepLabel(steps[static_cast<size_t>(i)]).c_str());
    if (!e.error.empty()) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.45f, 0.40f, 1));
    float bw = ImGui::GetFrameHeight();
    // Room for the three buttons and the spacing before each (the "x" was clipped without it).
    float buttons = 3 * (bw + ImGui::GetStyle().ItemSpacing.x);
    ImGui::AlignTextToFramePadding();  // the label on the buttons' baseline
    if (ImGui::Selectable(label, g_selected_step == i, 0, ImVec2(ImGui::GetContentRegionAvail().x - buttons, 0))) {
      g_selected_step = i;
    }
    if (!e.error.empty()) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", e.error.empty() ? e.summary.c_str() : e.error.c_str());
    ImGui::SameLine();
    if (ImGui::ArrowButton("up", ImGuiDir_Up) && i > 0) {
      move_from = i;
      move_to = i - 1;
    }
    ImGui::SameLine();
    if (ImGui::ArrowButton("down", ImGuiDir_Down) && i + 1 < static_cast<int>(steps.size())) {
      move_from = i;
      move_to = i + 1;
    }
    ImGui::SameLine();
    if (ImGui::Button("x", ImVec2(bw, bw))) remove = i;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Remove this step");
    ImGui::PopID();
  }
  if (move_from >= 0) {
    std::swap(steps[static_cast<size_t>(move_from)], steps[static_cast<size_t>(move_to)]);
    g_selected_step = move_to;
    EvalCache().clear();
  }
  if (remove >= 0) {
    steps.erase(static_cast<size_t>(remove));
    EvalCache().clear();
  }
  ImGui::Spacing();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##add", "+ Add a step...")) {
    for (const StepInfo& info : StepRegistry()) {
      if (ImGui::Selectable(info.type.c_str())) {
        auto st = info.make();
        st->Configure(nlohmann::json::object());
        nlohmann::json step = {{"type", info.type}, {"params", st->Params()}};
        steps.push_back(step);
        g_selected_step = static_cast<int>(steps.size()) - 1;
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", info.summary.c_str());
    }
    ImGui::EndCombo();
  }
  if (StepRegistry().empty()) ImGui::TextDisabled("(no step types are registered in this build)");
  ImGui::EndChild();

  ImGui::SameLine();
  ImGui::BeginChild("params", ImVec2(0, 0), true);
  if (g_selected_step < 0 || steps.empty()) {
    ImGui::TextDisabled("Add a step, or load a preset.");
  } else {
    nlohmann::json& step = steps[static_cast<size_t>(g_selected_step)];
    const StepEval& e = Evaluate(static_cast<size_t>(g_selected_step), step);
    ImGui::PushFont(s.font_big);
    ImGui::TextUnformatted(StepLabel(step).c_str());
    ImGui::PopFont();
    if (!e.summary.empty()) ImGui::TextWrapped("%s", e.summary.c_str());
    if (!e.error.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.95f, 0.45f, 0.40f, 1));
      ImGui::TextWrapped("%s", e.error.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::Separator();
    if (!step.contains("params") || !step["params"].is_object()) step["params"] = nlohmann::json::object();
    // Show every effective parameter; an edit writes it into the document's params.
    nlohmann::json shown = e.effective.is_object() ? e.effective : nlohmann::json::object();
    for (auto it = step["params"].begin(); it != step["params"].end(); ++it) shown[it.key()] = it.value();
    for (auto it = shown.begin(); it != shown.end(); ++it) {
      nlohmann::json value = it.value();
      const nlohmann::json& defaults = DefaultParams(step.value("type", ""));
      nlohmann::json def = defaults.contains(it.key()) ? defaults[it.key()] : nlohmann::json();
      if (ParamWidget(s, step.value("type", ""), it.key(), &value, def)) step["params"][it.key()] = value;
    }
    if (shown.empty()) ImGui::TextDisabled("This step has no parameters.");
    ImGui::Spacing();
    if (ImGui::TreeNode("JSON of this step")) {
      ImGui::PushFont(s.font_mono);
      ImGui::TextUnformatted(step.dump(2).c_str());
      ImGui::PopFont();
      ImGui::TreePop();
    }
  }
  ImGui::EndChild();
}

}  // namespace winnow::ui
