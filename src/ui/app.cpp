// [SECTION] index: fonts and theme · Studio actions · App entry points · frame: shortcuts, menu,
// toolbar, tabs, status bar · status JSON (test hook)
#include "ui/app.h"

#include <imgui.h>

#include <cstdio>
#include <string>

#include "io/memory_io.h"
#include "platform/file_io.h"
#include "ui/duplicate_pairs.h"
#include "ui/point_map.h"
#include "ui/resources.h"
#include "ui/share_link.h"
#include "ui/studio.h"

namespace winnow::ui {

// ---------------------------------------------------------------------------------------------
// [SECTION] fonts and theme
// ---------------------------------------------------------------------------------------------
namespace {

// The base glyphs (GlyphSet::BaseRanges: Latin, Greek, Cyrillic, symbols) come from DejaVu; other
// characters the data holds (CJK, ...) are merged in from the fallback font as they are noted.
static_assert(sizeof(ImWchar) == sizeof(uint16_t), "GlyphSet ranges are 16-bit ImWchar ranges");

ImFont* AddFont(const char* name, float px) {
  const EmbeddedFile* f = FindEmbedded(name);
  if (!f) return nullptr;
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // the bytes are a static array in the binary
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  std::snprintf(cfg.Name, sizeof cfg.Name, "%s", name);
  return ImGui::GetIO().Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(f->data), static_cast<int>(f->size),
                                                    px, &cfg, reinterpret_cast<const ImWchar*>(GlyphSet::BaseRanges()));
}

// Merges the fallback font's glyphs for `ranges` into the font added last. Oversampled once only:
// thousands of CJK glyphs must fit one texture.
void MergeFallback(std::string& ttf, const std::vector<uint16_t>& ranges, float px) {
  if (ttf.empty() || ranges.size() < 3) return;
  ImFontConfig cfg;
  cfg.MergeMode = true;
  cfg.FontDataOwnedByAtlas = false;  // the Studio holds the bytes
  cfg.OversampleH = 1;
  cfg.OversampleV = 1;
  std::snprintf(cfg.Name, sizeof cfg.Name, "%s", "DroidSansFallbackFull.ttf");
  ImGui::GetIO().Fonts->AddFontFromMemoryTTF(ttf.data(), static_cast<int>(ttf.size()), px, &cfg,
                                             reinterpret_cast<const ImWchar*>(ranges.data()));
}

void ApplyTheme(bool dark, float scale) {
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  if (dark) {
    ImGui::StyleColorsDark(&st);
  } else {
    ImGui::StyleColorsLight(&st);
  }
  st.WindowRounding = 0;
  st.ChildRounding = 6;
  st.FrameRounding = 5;
  st.PopupRounding = 6;
  st.GrabRounding = 4;
  st.TabRounding = 5;
  st.ScrollbarRounding = 6;
  st.FramePadding = ImVec2(8, 5);
  st.ItemSpacing = ImVec2(8, 6);
  st.CellPadding = ImVec2(6, 4);
  st.WindowPadding = ImVec2(10, 8);
  st.ScrollbarSize = 14;
  st.WindowBorderSize = 0;
  st.FrameBorderSize = dark ? 0.0f : 1.0f;
  ImVec4* c = st.Colors;
  // A calm teal accent on neutral greys.
  ImVec4 accent = dark ? ImVec4(0.18f, 0.62f, 0.60f, 1) : ImVec4(0.10f, 0.52f, 0.50f, 1);
  ImVec4 accent_hi = dark ? ImVec4(0.24f, 0.72f, 0.70f, 1) : ImVec4(0.14f, 0.60f, 0.58f, 1);
  if (dark) {
    c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.13f, 1);
    c[ImGuiCol_ChildBg] = ImVec4(0.13f, 0.14f, 0.15f, 1);
    c[ImGuiCol_PopupBg] = ImVec4(0.14f, 0.15f, 0.16f, 0.98f);
    c[ImGuiCol_FrameBg] = ImVec4(0.19f, 0.20f, 0.22f, 1);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.24f, 0.26f, 0.28f, 1);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.27f, 0.30f, 0.32f, 1);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.09f, 0.10f, 0.11f, 1);
    c[ImGuiCol_TableHeaderBg] = ImVec4(0.17f, 0.18f, 0.20f, 1);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1, 1, 1, 0.025f);
    c[ImGuiCol_Button] = ImVec4(0.21f, 0.23f, 0.25f, 1);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.27f, 0.30f, 0.32f, 1);
    c[ImGuiCol_Header] = ImVec4(0.18f, 0.40f, 0.40f, 0.55f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.20f, 0.48f, 0.47f, 0.65f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.22f, 0.55f, 0.53f, 0.8f);
    c[ImGuiCol_Tab] = ImVec4(0.15f, 0.16f, 0.18f, 1);
    c[ImGuiCol_TabHovered] = accent_hi;
    c[ImGuiCol_TabActive] = accent;
  } else {
    c[ImGuiCol_WindowBg] = ImVec4(0.96f, 0.96f, 0.95f, 1);
    c[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.91f, 0.91f, 0.90f, 1);
    c[ImGuiCol_FrameBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_Header] = ImVec4(0.55f, 0.80f, 0.78f, 0.55f);
    c[ImGuiCol_HeaderHovered] = ImVec4(0.55f, 0.80f, 0.78f, 0.75f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.45f, 0.75f, 0.72f, 0.9f);
    c[ImGuiCol_Button] = ImVec4(0.88f, 0.89f, 0.89f, 1);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.80f, 0.88f, 0.87f, 1);
    c[ImGuiCol_Tab] = ImVec4(0.86f, 0.87f, 0.87f, 1);
    c[ImGuiCol_TabHovered] = accent_hi;
    c[ImGuiCol_TabActive] = accent;
    c[ImGuiCol_TableRowBgAlt] = ImVec4(0, 0, 0, 0.03f);
  }
  c[ImGuiCol_CheckMark] = accent_hi;
  c[ImGuiCol_SliderGrab] = accent;
  c[ImGuiCol_SliderGrabActive] = accent_hi;
  c[ImGuiCol_ButtonActive] = accent;
  c[ImGuiCol_PlotHistogram] = accent;
  c[ImGuiCol_PlotHistogramHovered] = accent_hi;
  c[ImGuiCol_PlotLines] = accent_hi;
  c[ImGuiCol_TextSelectedBg] = ImVec4(accent.x, accent.y, accent.z, 0.35f);
  c[ImGuiCol_NavHighlight] = accent_hi;
  st.ScaleAllSizes(scale);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] Studio actions
// ---------------------------------------------------------------------------------------------
void Studio::NoteGlyphs(std::string_view text) {
  if (!glyphs.Note(text) || fallback_state != FallbackFont::NotAsked) return;
  fallback_state = FallbackFont::Asked;
  host.LoadFallbackFont([this](std::string bytes) {
    fallback_font = std::move(bytes);
    fallback_state = fallback_font.empty() ? FallbackFont::Missing : FallbackFont::Ready;
  });
}

void Studio::Toast(std::string text, double seconds) {
  toast = std::move(text);
  toast_until = host.Now() + seconds;
}

void Studio::RequestOpen(PickKind kind) {
  if (host.NativeFiles()) {
    show_browser = true;
    browser_kind = kind;
  } else {
    host.PickFile(kind);
  }
}

std::string Studio::PipelineText(bool pretty) const {
  return pretty ? pipeline.dump(2) + "\n" : pipeline.dump();
}

Status Studio::SetPipelineText(std::string_view text, std::string source) {
  nlohmann::json doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Error{"bad_config", source + " is not a JSON object (a pipeline document)"};
  }
  if (!doc.contains("steps") || !doc["steps"].is_array()) {
    return Error{"bad_config", source + ": a pipeline needs a \"steps\" array"};
  }
  pipeline = std::move(doc);
  pipeline_source = std::move(source);
  pipeline_error.clear();
  share_link.clear();
  return Status::Ok();
}

// A pipeline with a synth.* step can run without a dataset: every row is generated.
static bool PipelineGenerates(const nlohmann::json& pipeline) {
  if (!pipeline.contains("steps") || !pipeline["steps"].is_array()) return false;
  for (const auto& st : pipeline["steps"])
    if (st.is_object() && st.value("type", "").rfind("synth.", 0) == 0) return true;
  return false;
}

// Steps whose work calls a platform service (a model runtime, HTTP: in the page they live on the
// main thread) or that the synthesis panel reads while running: such pipelines run frame-sliced.
static bool PipelineNeedsUiThread(const nlohmann::json& pipeline) {
  if (!pipeline.contains("steps") || !pipeline["steps"].is_array()) return true;
  for (const auto& st : pipeline["steps"]) {
    std::string type = st.is_object() ? st.value("type", "") : "";
    if (type == "score.model" || type == "dedup.semantic" || type == "filter.toxicity" || type == "score.judge" ||
        type.rfind("synth.", 0) == 0) {
      return true;
    }
  }
  return false;
}

void Studio::StartRun() {
  bool no_input = !HasData() && !loader.Active() && PipelineGenerates(pipeline);
  if (!HasData() && !no_input) {
    Toast("Open a dataset first (Ctrl+O).");
    return;
  }
  if (run.Running()) return;
  Status st = run.Start(no_input ? synth.no_input : loader, PipelineText(false),
                        [this](const std::string& path) { return host.ReadFile(path); }, host.Models(), StudioHttp(*this),
                        host.ThreadsAvailable() && !PipelineNeedsUiThread(pipeline));
  if (!st.ok()) {
    pipeline_error = st.error().message;
    Toast("The pipeline cannot run: " + st.error().message, 8);
    SelectTab(Tab::Pipeline);
    return;
  }
  pipeline_error.clear();
}

int Studio::ExportAll() {
  int n = 0;
  std::string where;
  std::vector<RunOutput> reviewed;
  const std::vector<RunOutput>* outs = &run.outputs();
  bool any_review = false;
  for (const auto& [row, o] : overrides) any_review |= o.Active();
  if (any_review) {
    auto r = ApplyReview(run.outputs(), loader, overrides);
    if (!r.ok()) {
      Toast("Cannot apply the review: " + r.error().message, 8);
      return 0;
    }
    reviewed = std::move(r.value());
    outs = &reviewed;
  }
  for (const RunOutput& o : *outs) {
    Status st = host.SaveFile(o.name, o.bytes.Views(), &where);
    if (!st.ok()) {
      Toast(st.error().message, 8);
      return n;
    }
    ++n;
  }
  last_export = where;
  exported += n;
  if (n) Toast("Exported " + std::to_string(n) + " files" + (host.NativeFiles() ? " to " + where : ""));
  return n;
}

void Studio::OpenBytes(const std::string& name, std::string bytes) {
  run.Reset();
  search.Clear();
  overrides.clear();
  selected = -1;
  input_path = name;
  chunked = nullptr;
  auto src = std::make_unique<ChunkQueueSource>(name, bytes.size());
  src->Push(bytes.data(), bytes.size());
  src->Finish();
  ReadOptions opts;
  opts.kind = FileKindFromPath(name);
  loader.Start(std::move(src), opts, nullptr, max_memory);
  SelectTab(Tab::Data);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] App entry points
// ---------------------------------------------------------------------------------------------
App::App(Host& host) : m_s(std::make_unique<Studio>(host)) {
  const EmbeddedFile* preset = FindEmbedded("presets/sft-default.json");
  if (preset) {
    m_s->SetPipelineText(EmbeddedText(*preset), "preset sft-default");
  } else {
    m_s->pipeline = nlohmann::json{{"name", "untitled"}, {"version", 1}, {"seed", 0}, {"steps", nlohmann::json::array()}};
    m_s->pipeline_source = "new pipeline";
  }
}

App::~App() = default;

bool App::SetScale(float scale) {
  if (scale <= 0) scale = 1;
  bool first = m_s->font_ui == nullptr;
  // New characters of the data rebuild the atlas at most twice a second (a texture upload each).
  const bool glyphs = m_s->fallback_state == Studio::FallbackFont::Ready && m_s->glyphs.dirty() &&
                      m_s->host.Now() - m_s->fonts_built_at >= 0.5;
  if (!first && scale == m_s->scale && !glyphs) return false;
  m_s->scale = scale;
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  if (m_s->fallback_state == Studio::FallbackFont::Ready) {
    m_s->glyphs.TakeDirty();
    m_s->glyph_ranges = m_s->glyphs.Ranges();
  }
  m_s->font_ui = AddFont("DejaVuSans.ttf", 15.0f * scale);
  if (m_s->font_ui) MergeFallback(m_s->fallback_font, m_s->glyph_ranges, 15.0f * scale);
  m_s->font_mono = AddFont("DejaVuSansMono.ttf", 14.0f * scale);
  if (m_s->font_mono) MergeFallback(m_s->fallback_font, m_s->glyph_ranges, 14.0f * scale);
  m_s->font_big = AddFont("DejaVuSans.ttf", 22.0f * scale);
  if (!m_s->font_ui) m_s->font_ui = io.Fonts->AddFontDefault();
  if (!m_s->font_mono) m_s->font_mono = m_s->font_ui;
  if (!m_s->font_big) m_s->font_big = m_s->font_ui;
  io.Fonts->Build();
  m_s->fonts_built_at = m_s->host.Now();
  ApplyTheme(m_s->dark, scale);
  return true;
}

void App::OpenPath(const std::string& path) {
  auto src = OpenInputFile(path);
  if (!src.ok()) {
    ShowMessage(src.error().message);
    return;
  }
  m_s->run.Reset();
  m_s->search.Clear();
  m_s->overrides.clear();
  m_s->selected = -1;
  m_s->input_path = path;
  m_s->host.DatasetOpened(path);
  m_s->chunked = nullptr;
  ReadOptions opts;
  opts.kind = FileKindFromPath(path);
  m_s->loader.Start(std::move(src.value()), opts, nullptr, 0);
  m_s->SelectTab(Tab::Data);
}

ChunkQueueSource* App::BeginStreamedOpen(const std::string& name, uint64_t size_hint, uint64_t max_memory) {
  m_s->run.Reset();
  m_s->search.Clear();
  m_s->overrides.clear();
  m_s->selected = -1;
  m_s->input_path = name;
  auto src = std::make_unique<ChunkQueueSource>(name, size_hint);
  ChunkQueueSource* raw = src.get();
  ReadOptions opts;
  std::string kind_name = name;
  if (kind_name.size() > 3 && kind_name.compare(kind_name.size() - 3, 3, ".gz") == 0) kind_name.resize(kind_name.size() - 3);
  opts.kind = FileKindFromPath(kind_name);
  m_s->loader.Start(std::move(src), opts, raw, max_memory);
  m_s->chunked = raw;
  m_s->SelectTab(Tab::Data);
  return raw;
}

bool App::StreamAlive(const ChunkQueueSource* src) const {
  return src != nullptr && m_s->loader.Chunked() == src;
}

void App::ShowMessage(const std::string& text) { m_s->Toast(text, 10); }

bool App::LoadPipelineText(std::string_view json, const std::string& source) {
  Status st = m_s->SetPipelineText(json, source);
  if (!st.ok()) {
    m_s->Toast(st.error().message, 8);
    return false;
  }
  m_s->Toast("Pipeline loaded from " + source);
  return true;
}

bool App::ApplyFragment(std::string_view fragment) {
  if (auto text = PipelineFromFragment(fragment)) return LoadPipelineText(*text, "share link");
  std::string_view f = fragment;
  if (!f.empty() && f.front() == '#') f.remove_prefix(1);
  if (f.substr(0, 7) == "preset=") {
    std::string name = "presets/" + std::string(f.substr(7)) + ".json";
    if (const EmbeddedFile* p = FindEmbedded(name)) return LoadPipelineText(EmbeddedText(*p), "preset " + std::string(f.substr(7)));
    m_s->Toast("No preset named " + std::string(f.substr(7)), 8);
  }
  return false;
}

bool App::SelectView(std::string_view name) {
  static const char* names[] = {"Data", "Pipeline", "Report", "Review", "Export", "Synthesize"};
  for (int t = 0; t < kTabCount; ++t) {
    if (name == names[t]) {
      m_s->SelectTab(static_cast<Tab>(t));
      return true;
    }
  }
  return false;
}

void App::StartRun() { m_s->StartRun(); }

void App::LoadTemplateFile(PickKind kind, const std::string& name, std::string_view bytes) {
  ui::LoadTemplateFile(*m_s, kind, name, bytes);
}

bool App::ChooseTemplate(std::string_view name) {
  Status st = m_s->templ.ChooseTemplateByName(name);
  if (!st.ok()) m_s->Toast(st.error().message, 8);
  return st.ok();
}

void App::InspectRow(int64_t row, bool with_template) {
  m_s->selected = row;
  m_s->show_template = with_template;
  if (with_template) m_s->raw_json = false;
  m_s->SelectTab(Tab::Data);
}
int App::ExportAll() { return m_s->ExportAll(); }

std::string App::SynthCommand(std::string_view json) { return ui::SynthCommand(*m_s, json); }

bool App::Busy() const { return m_s->loader.Active() || m_s->run.Running() || m_s->synth.run.Running() || m_s->synth.preview.Running() || m_s->templ_counting; }

const ChunkedBytes* App::OutputBytes(std::string_view name) const {
  const RunOutput* o = m_s->run.Find(name);
  return o ? &o->bytes : nullptr;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] frame
// ---------------------------------------------------------------------------------------------
namespace {

const char* kTabNames[] = {"Data", "Pipeline", "Report", "Review", "Export", "Synthesize"};

void HandleShortcuts(Studio& s) {
  ImGuiIO& io = ImGui::GetIO();
  // GLFW key codes of letters and digits are their ASCII upper-case codes (both front ends use GLFW).
  auto pressed = [](int key) { return ImGui::IsKeyPressed(key, false); };
  if (io.KeyCtrl) {
    if (pressed('O')) s.RequestOpen(PickKind::Dataset);
    if (pressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) || pressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter))) s.StartRun();
    if (pressed('F')) {
      s.SelectTab(Tab::Data);
      s.focus_search = true;
    }
    if (pressed('E')) s.ExportAll();
    for (int t = 0; t < kTabCount; ++t) {
      if (pressed('1' + t)) s.SelectTab(static_cast<Tab>(t));
    }
  }
  if (pressed(ImGui::GetKeyIndex(ImGuiKey_Escape)) && !ImGui::IsAnyItemActive()) {
    if (s.run.Running()) {
      s.run.Cancel();
      s.Toast("Run cancelled.");
    } else if (s.loader.Active()) {
      s.loader.Cancel();
      s.Toast("Loading cancelled.");
    }
  }
}

void DrawMenuBar(Studio& s, App& app) {
  if (!ImGui::BeginMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open dataset...", "Ctrl+O")) s.RequestOpen(PickKind::Dataset);
    if (ImGui::MenuItem("Open pipeline...")) s.RequestOpen(PickKind::Pipeline);
    if (ImGui::MenuItem("Save pipeline")) {
      std::string where;
      std::string text = s.PipelineText(true);
      Status st = s.host.SaveFile("pipeline.json", {text}, &where);
      s.Toast(st.ok() ? "Saved the pipeline to " + where : st.error().message);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Export all outputs", "Ctrl+E", false, s.run.state() == RunDriver::State::Done)) s.ExportAll();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Run")) {
    if (ImGui::MenuItem("Run pipeline", "Ctrl+Enter", false, (s.HasData() || PipelineGenerates(s.pipeline)) && !s.run.Running())) s.StartRun();
    if (ImGui::MenuItem("Cancel", "Esc", false, s.run.Running() || s.loader.Active())) {
      if (s.run.Running()) s.run.Cancel();
      else s.loader.Cancel();
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    for (int t = 0; t < kTabCount; ++t) {
      char sc[8];
      std::snprintf(sc, sizeof sc, "Ctrl+%d", t + 1);
      if (ImGui::MenuItem(kTabNames[t], sc, s.tab == static_cast<Tab>(t))) s.SelectTab(static_cast<Tab>(t));
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Dark theme", nullptr, s.dark)) {
      s.dark = true;
      ApplyTheme(true, s.scale);
    }
    if (ImGui::MenuItem("Light theme", nullptr, !s.dark)) {
      s.dark = false;
      ApplyTheme(false, s.scale);
    }
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    ImGui::TextUnformatted("Ctrl+O open   Ctrl+Enter run   Esc cancel   Ctrl+F search");
    ImGui::TextUnformatted("Ctrl+1..6 views   Ctrl+E export all");
    ImGui::Separator();
    ImGui::TextUnformatted("Your data never leaves this machine: files are read locally and");
    ImGui::TextUnformatted("outputs are written or downloaded locally.");
    ImGui::EndMenu();
  }
  (void)app;
  ImGui::EndMenuBar();
}

void DrawToolbar(Studio& s) {
  ImGui::PushFont(s.font_big);
  ImGui::TextUnformatted("Winnow");
  ImGui::PopFont();
  ImGui::SameLine(0, 18 * s.scale);
  if (ImGui::Button("Open...")) s.RequestOpen(PickKind::Dataset);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Open a JSONL / JSON / CSV dataset (.gz too). Ctrl+O.\nYou can also drop a file on the window.");
  ImGui::SameLine();
  bool can_run = (s.HasData() || PipelineGenerates(s.pipeline)) && !s.run.Running();
  ImGui::BeginDisabled(!can_run);
  ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_TabActive));
  if (ImGui::Button("\xE2\x96\xB6 Run")) s.StartRun();
  ImGui::PopStyleColor();
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Run the pipeline on the loaded data (Ctrl+Enter).");
  ImGui::SameLine();
  ImGui::BeginDisabled(!s.run.Running() && !s.loader.Active());
  if (ImGui::Button("\xE2\x96\xA0 Cancel")) {
    if (s.run.Running()) s.run.Cancel();
    else s.loader.Cancel();
  }
  ImGui::EndDisabled();
  ImGui::SameLine(0, 18 * s.scale);
  ImGui::AlignTextToFramePadding();
  std::string pipe_name = s.pipeline.contains("name") && s.pipeline["name"].is_string() ? s.pipeline["name"].get<std::string>() : "untitled";
  ImGui::TextDisabled("pipeline:");
  ImGui::SameLine();
  ImGui::TextUnformatted(pipe_name.c_str());
  ImGui::SameLine(0, 18 * s.scale);
  float w = ImGui::GetContentRegionAvail().x;
  if (s.loader.Active()) {
    double f = s.loader.Fraction();
    std::string label = "Loading " + HumanBytes(s.loader.BytesRead()) + "  " + GroupedCount(s.loader.TotalRows()) + " rows";
    ImGui::SetNextItemWidth(w);
    double t0 = s.loader.StartedAt();
    ProgressWithEta(static_cast<float>(f), t0 < 0 ? 0.0 : s.host.Now() - t0, label.c_str());
  } else if (s.run.Running()) {
    std::string label = s.run.Stage();
    ImGui::SetNextItemWidth(w);
    ProgressWithEta(static_cast<float>(s.run.Fraction()), s.run.Elapsed(), label.c_str());
  }
  ImGui::Spacing();
}

void DrawStatusBar(Studio& s) {
  ImGui::Separator();
  const DatasetLoader& l = s.loader;
  std::string left;
  switch (l.state()) {
    case DatasetLoader::State::Idle: left = "No data. Open a file or drop one here."; break;
    case DatasetLoader::State::Waiting:
    case DatasetLoader::State::Reading: left = "Loading " + l.name() + "..."; break;
    case DatasetLoader::State::Done: {
      char secs[32];
      std::snprintf(secs, sizeof secs, "%.2f s", l.Seconds());
      left = l.name() + "  \xC2\xB7  " + GroupedCount(l.dataset().size()) + " rows";
      if (!l.problems().empty()) left += " + " + GroupedCount(l.problems().size()) + " unreadable";
      left += "  \xC2\xB7  " + std::string(FormatName(l.format())) + " / " + std::string(FileKindName(l.kind())) +
              "  \xC2\xB7  " + HumanBytes(l.BytesRead()) + " in " + secs + "  \xC2\xB7  memory " + HumanBytes(l.dataset().MemoryBytes());
      break;
    }
    case DatasetLoader::State::Failed: left = "Could not open " + l.name() + ": " + l.error(); break;
    case DatasetLoader::State::Cancelled: left = "Loading cancelled."; break;
  }
  switch (s.run.state()) {
    case RunDriver::State::Done: left += "  \xC2\xB7  run finished"; break;
    case RunDriver::State::Failed: left += "  \xC2\xB7  run failed: " + s.run.error(); break;
    case RunDriver::State::Cancelled: left += "  \xC2\xB7  run cancelled"; break;
    default: break;
  }
  ImGui::TextUnformatted(left.c_str());
  char right[96];
  std::snprintf(right, sizeof right, "%s  \xC2\xB7  %.0f fps", s.host.PlatformName().c_str(), ImGui::GetIO().Framerate);
  float rw = ImGui::CalcTextSize(right).x;
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - rw);
  ImGui::TextDisabled("%s", right);
}

void DrawToast(Studio& s) {
  if (s.toast.empty() || s.host.Now() > s.toast_until) return;
  ImGuiViewport* vp = ImGui::GetMainViewport();
  ImVec2 pos(vp->WorkPos.x + vp->WorkSize.x - 20 * s.scale, vp->WorkPos.y + vp->WorkSize.y - 50 * s.scale);
  ImGui::SetNextWindowPos(pos, ImGuiCond_Always, ImVec2(1, 1));
  ImGui::SetNextWindowBgAlpha(0.95f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 6 * s.scale);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(14 * s.scale, 10 * s.scale));
  ImGui::Begin("##toast", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoInputs);
  ImGui::PushTextWrapPos(520 * s.scale);
  ImGui::TextUnformatted(s.toast.c_str());
  ImGui::PopTextWrapPos();
  ImGui::End();
  ImGui::PopStyleVar(2);
}

// Loading gets a larger share of a frame than scrolling work: while a file loads the table is
// not yet usable, so ~25 ms of parsing per frame (frames of ~30 ms, the progress bar and Cancel
// still answer at once) loads far faster than 10 ms. The page adds between-frame slices on top.
constexpr double kLoadFrameBudget = 0.025;
// A search slice per frame: the table keeps scrolling at 60 fps while 1M rows are searched.
constexpr double kSearchFrameBudget = 0.008;

// The characters of the first 16 MB of text: one pass at the end of a load, so a Chinese or
// Japanese dataset is readable at once (the inspector notes the rows it shows beyond that).
void NoteDatasetGlyphs(Studio& s) {
  const Dataset& ds = s.loader.dataset();
  size_t budget = size_t(16) << 20;
  for (size_t i = 0; i < ds.size() && budget > 0; ++i) {
    for (size_t m = 0; m < ds.MessageCount(i); ++m) {
      std::string_view t = ds.MessageContent(i, m);
      s.NoteGlyphs(t);
      budget -= std::min(budget, t.size());
    }
    s.NoteGlyphs(ds.Text(i));
    budget -= std::min(budget, ds.Text(i).size());
  }
}

void PumpLoader(Studio& s, double budget_s) {
  if (!s.loader.Active()) return;
  s.loader.Pump(budget_s, [&s] { return s.host.Now(); });
  if (s.loader.state() == DatasetLoader::State::Done) {
    s.chunked = nullptr;
    s.Toast("Loaded " + GroupedCount(s.loader.dataset().size()) + " rows from " + s.loader.name());
    NoteDatasetGlyphs(s);
  } else if (s.loader.state() == DatasetLoader::State::Failed) {
    s.chunked = nullptr;
    s.Toast("Could not open " + s.loader.name() + ": " + s.loader.error(), 12);
  }
}

void PumpSearch(Studio& s, double budget_s) {
  if (s.search.Active() && !s.search.Done()) s.search.Step(budget_s, [&s] { return s.host.Now(); });
}

void PumpWork(Studio& s) {
  auto now = [&s] { return s.host.Now(); };
  PumpLoader(s, kLoadFrameBudget);
  PumpSearch(s, kSearchFrameBudget);
  PumpSynth(s);
  if (s.run.Running()) {
    s.run.Step(0.010, now);
    if (s.run.state() == RunDriver::State::Done) {
      s.Toast("Run finished in " + std::to_string(static_cast<int>(s.run.Elapsed() * 1000)) + " ms");
      s.SelectTab(Tab::Report);
    } else if (s.run.state() == RunDriver::State::Failed) {
      s.Toast("The run failed: " + s.run.error(), 12);
    }
  }
}

}  // namespace

bool App::PumpBackground(double budget_s) {
  Studio& s = *m_s;
  if (s.loader.Active()) PumpLoader(s, budget_s);
  else PumpSearch(s, budget_s);
  return HasBackgroundWork();
}

bool App::HasBackgroundWork() const {
  const Studio& s = *m_s;
  // A streamed load that waits for the page's next chunk has nothing to do until it arrives.
  const ChunkQueueSource* c = s.loader.Chunked();
  bool load_ready = s.loader.Active() && (!c || c->Readable(DatasetLoader::kMinReadable));
  return load_ready || (!s.loader.Active() && s.search.Active() && !s.search.Done());
}

void App::Frame() {
  Studio& s = *m_s;
  ++s.frames;
  if (!s.pending_open.empty()) {
    std::string path = std::move(s.pending_open);
    s.pending_open.clear();
    if (s.pending_kind == PickKind::Dataset) {
      OpenPath(path);
    } else if (s.pending_kind == PickKind::Template || s.pending_kind == PickKind::Tokenizer) {
      auto text = s.host.ReadFile(path);
      if (text.ok()) LoadTemplateFile(s.pending_kind, path, text.value());
      else ShowMessage(text.error().message);
    } else {
      auto text = s.host.ReadFile(path);
      if (text.ok()) LoadPipelineText(text.value(), path);
      else ShowMessage(text.error().message);
    }
  }
  PumpWork(s);
  HandleShortcuts(s);

  ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("Winnow", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_MenuBar | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoMove);
  DrawMenuBar(s, *this);
  DrawToolbar(s);
  if (ImGui::BeginTabBar("views")) {
    for (int t = 0; t < kTabCount; ++t) {
      ImGuiTabItemFlags flags = (s.tab_forced && s.tab == static_cast<Tab>(t)) ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(kTabNames[t], nullptr, flags)) {
        if (!s.tab_forced) s.tab = static_cast<Tab>(t);
        float status_h = ImGui::GetFrameHeightWithSpacing() + 4 * s.scale;
        ImGui::BeginChild("view", ImVec2(0, -status_h), false);
        switch (static_cast<Tab>(t)) {
          case Tab::Data: DrawDataView(s); break;
          case Tab::Pipeline: DrawPipelineView(s); break;
          case Tab::Report: DrawReportView(s); break;
          case Tab::Review: DrawReviewView(s); break;
          case Tab::Export: DrawExportView(s); break;
          case Tab::Synth: DrawSynthView(s); break;
        }
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    s.tab_forced = false;
    ImGui::EndTabBar();
  }
  DrawStatusBar(s);
  ImGui::End();
  if (s.show_browser) DrawFileBrowser(s);
  DrawToast(s);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] status JSON (test hook)
// ---------------------------------------------------------------------------------------------
std::string App::StatusJson() const {
  const Studio& s = *m_s;
  nlohmann::json j;
  const char* ls[] = {"idle", "waiting", "reading", "done", "failed", "cancelled"};
  const char* rs[] = {"idle", "running", "done", "failed", "cancelled"};
  j["load"] = ls[static_cast<int>(s.loader.state())];
  j["load_error"] = s.loader.error();
  j["input"] = s.loader.name();  // the file being read or last read (its name, for tests)
  j["rows"] = s.loader.dataset().size();
  j["problems"] = s.loader.problems().size();
  j["bytes"] = s.loader.BytesRead();
  j["load_seconds"] = s.loader.Seconds();
  j["memory"] = s.loader.dataset().MemoryBytes();
  {
    // Characters outside the base font: noted, and how many of them the UI font's atlas draws
    // (found without falling back to U+FFFD), as the tests check.
    const char* fs[] = {"not_asked", "asked", "ready", "missing"};
    size_t baked = 0;
    for (const uint16_t* r = s.glyph_ranges.data(); !s.glyph_ranges.empty() && r[0]; r += 2) {
      for (uint32_t c = r[0]; c <= r[1]; ++c) baked += s.font_ui && s.font_ui->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
    }
    const ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    j["glyphs"] = {{"extra", s.glyphs.size()}, {"dropped", s.glyphs.dropped()}, {"font", fs[static_cast<int>(s.fallback_state)]},
                   {"baked", baked}, {"atlas", {atlas->TexWidth, atlas->TexHeight}}};
  }
  j["format"] = std::string(FormatName(s.loader.format()));
  j["run"] = rs[static_cast<int>(s.run.state())];
  j["run_error"] = s.run.error();
  j["run_seconds"] = s.run.Elapsed();
  j["run_thread"] = s.run.Threaded();
  nlohmann::json outs = nlohmann::json::array();
  for (const RunOutput& o : s.run.outputs()) outs.push_back({{"name", o.name}, {"bytes", o.bytes.size()}});
  j["outputs"] = outs;
  j["tab"] = kTabNames[static_cast<int>(s.tab)];
  j["theme"] = s.dark ? "dark" : "light";
  j["pipeline"] = s.pipeline.value("name", "");
  j["search_matches"] = s.search.Matches().size();
  j["search_done"] = !s.search.Active() || s.search.Done();
  j["search_query"] = s.search.query().text;
  j["selected"] = s.selected;
  j["data_top_row"] = s.data_top_row;
  nlohmann::json review = {{"row", s.review_row}};
  if (s.run.state() == RunDriver::State::Done && s.review_row >= 0 && static_cast<size_t>(s.review_row) < s.loader.dataset().size()) {
    review["verdict"] = s.run.VerdictOf(static_cast<size_t>(s.review_row));
    review["flags"] = s.run.FlagsOf(static_cast<size_t>(s.review_row));
  }
  j["review"] = review;
  j["frames"] = s.frames;
  j["toast"] = s.toast;
  j["exported"] = s.exported;
  j["template"] = TemplateStatus(s);
  j["map"] = EmbeddingMapStatus();
  j["duplicates"] = DuplicatesStatus();
  j["synth"] = SynthStatus(s);
  return j.dump();
}

}  // namespace winnow::ui
