// Studio: the state every view of the App shares (loaded data, pipeline document, run, review
// overrides, UI settings) and the view functions, one per view_<name>.cpp. Internal to src/ui.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ui/dataset_loader.h"
#include "ui/glyph_set.h"
#include "ui/host.h"
#include "ui/review_apply.h"
#include "ui/row_search.h"
#include "ui/run_driver.h"
#include "ui/template_preview.h"
#include "ui/synth_panel.h"

struct ImFont;

namespace winnow::ui {

enum class Tab { Data, Pipeline, Report, Review, Export, Synth };
constexpr int kTabCount = 6;


struct Studio {
  explicit Studio(Host& h) : host(h) {}
  Host& host;

  // ---- data ----
  DatasetLoader loader;
  ChunkQueueSource* chunked = nullptr;  // set while a streamed (web) open is in progress
  std::string input_path;               // desktop: the file's path (exports go next to it)
  uint64_t max_memory = 0;              // web: Dataset bytes above this stop the load
  double load_fraction_shown = 0;

  // ---- data view ----
  RowSearch search;
  SearchQuery search_edit;
  std::string search_error;
  bool focus_search = false;
  int64_t selected = -1;  // dataset row index
  int64_t data_top_row = 0;  // Data view: the table's first row in view (its scroll position in rows)
  bool raw_json = false;
  bool show_template = false;  // inspector shows the row rendered with the chat template
  TemplatePreview templ;       // chosen template / tokenizer, token-count column (view_template.cpp)
  bool templ_counting = false; // the template view is counting the dataset's tokens (keeps frames coming)

  // ---- pipeline ----
  nlohmann::json pipeline;     // the pipeline document being edited
  std::string pipeline_source; // "preset sft-default", "pipeline.json", "share link"
  std::string pipeline_error;
  std::string share_link;

  // ---- run ----
  RunDriver run;
  bool run_requested = false;

  // ---- synthesis (view_synth.cpp) ----
  SynthPanel synth;

  // ---- review ----
  std::map<size_t, ReviewOverride> overrides;  // by dataset row index
  int64_t review_row = 0;

  // ---- ui ----
  Tab tab = Tab::Data;
  bool tab_forced = false;  // tab changed by a shortcut / action: select it once
  bool dark = true;
  float scale = 1.0f;
  ImFont* font_ui = nullptr;
  ImFont* font_mono = nullptr;
  ImFont* font_big = nullptr;
  // Characters of the data outside the base font (CJK, ...), added to the atlas from the fallback
  // font once the host has handed its bytes over (Host::LoadFallbackFont, asked for at the first
  // such character). glyph_ranges backs the atlas' merged font and must outlive it.
  enum class FallbackFont { NotAsked, Asked, Ready, Missing };
  GlyphSet glyphs{6000};
  FallbackFont fallback_state = FallbackFont::NotAsked;
  std::string fallback_font;
  std::vector<uint16_t> glyph_ranges;
  double fonts_built_at = -1;
  // Notes the characters of `text` the atlas lacks (asks the host for the fallback font at the first).
  void NoteGlyphs(std::string_view text);
  std::string toast;
  double toast_until = 0;
  bool show_browser = false;
  PickKind browser_kind = PickKind::Dataset;
  std::string browser_dir;
  std::string pending_open;  // a path chosen in the file browser, opened at the next frame
  PickKind pending_kind = PickKind::Dataset;
  std::string last_export;
  int exported = 0;  // files saved so far (status / tests)
  int frames = 0;

  // ---- actions shared by views ----
  void Toast(std::string text, double seconds = 4.0);
  void SelectTab(Tab t) { tab = t; tab_forced = true; }
  void RequestOpen(PickKind kind);
  void StartRun();
  bool HasData() const { return loader.state() == DatasetLoader::State::Done; }
  // Pipeline JSON text exactly as saved / shared / passed to the runner.
  std::string PipelineText(bool pretty) const;
  Status SetPipelineText(std::string_view text, std::string source);
  // Saves every output of the last run (kept, rejected, splits, report, card). Returns the count.
  int ExportAll();
  // Opens bytes held in memory (rows the synthesis panel generated) as the dataset.
  void OpenBytes(const std::string& name, std::string bytes);
};

// Views (one file each).
void DrawDataView(Studio& s);
void DrawPipelineView(Studio& s);
void DrawReportView(Studio& s);
void DrawReviewView(Studio& s);
void DrawExportView(Studio& s);
void DrawFileBrowser(Studio& s);
// Template preview (view_template.cpp): the inspector's "Template" mode, the table's token cell,
// files the user opened for it (kind Template or Tokenizer), its part of the status JSON.
void DrawTemplateInspector(Studio& s, size_t row);
std::string TokenCountCell(Studio& s, size_t row);
const char* TokenColumnName(const Studio& s);
void LoadTemplateFile(Studio& s, PickKind kind, const std::string& name, std::string_view bytes);
nlohmann::json TemplateStatus(const Studio& s);
// Synthesis (view_synth.cpp): the panel, its per-frame work, the front end's HttpClient wired to the
// panel's key field and cache switch (null without one), its part of the status JSON, and the test
// hook behind App::SynthCommand.
void DrawSynthView(Studio& s);
void PumpSynth(Studio& s);
HttpClient* StudioHttp(Studio& s);
nlohmann::json SynthStatus(const Studio& s);
std::string SynthCommand(Studio& s, std::string_view json);
// Shared widgets (widgets.cpp).
void HelpMarker(const char* text);
// Shows `s` on one line: newlines as spaces, cut to max_bytes on a UTF-8 boundary with an ellipsis.
std::string OneLine(std::string_view s, size_t max_bytes);
void DrawChatBubbles(Studio& s, const Example& ex, ReviewOverride* editable);
// Progress bar with a label and ETA; fraction < 0 shows an indeterminate bar.
void ProgressWithEta(float fraction, double elapsed_s, const char* label);

}  // namespace winnow::ui
