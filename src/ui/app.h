// App: the Winnow studio UI, drawn once per frame by App::Frame() between ImGui::NewFrame() and
// ImGui::Render(). The desktop (native/studio) and web (wasm/studio) front ends own the window,
// the GL context and the main loop, and pass platform services in through Host.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "core/chunked_bytes.h"
#include "ui/host.h"

namespace winnow::ui {

class ChunkQueueSource;
struct Studio;

class App {
 public:
  explicit App(Host& host);
  ~App();
  // Builds the font atlas and style for a content scale (device-pixel ratio). Call after
  // ImGui::CreateContext and again when the scale changes; returns true when the font atlas was
  // rebuilt (the renderer must then re-upload its font texture).
  bool SetScale(float scale);
  void Frame();
  // Work that may also run between frames (web: page tasks while the browser waits for its next
  // frame): loading a dataset and searching it. Runs for about budget_s seconds; returns true while
  // such work remains. Draws nothing, so it may be called outside NewFrame / Render.
  bool PumpBackground(double budget_s);
  // True when PumpBackground has work it can do now (a streamed load waiting for its next chunk
  // has none until the front end pushes it).
  bool HasBackgroundWork() const;

  // ---- entry points for the front ends ----
  // Desktop: opens a file by path (command line, drag and drop, in-app browser).
  void OpenPath(const std::string& path);
  // Web: starts a streamed open; the front end pushes chunks into the returned source and then
  // calls Finish() (or Fail()). The source stays owned by the App. max_memory as in DatasetLoader.
  ChunkQueueSource* BeginStreamedOpen(const std::string& name, uint64_t size_hint, uint64_t max_memory);
  // True while `src` (from BeginStreamedOpen) is still being read: the front end must check this
  // before each Push, since a cancelled or failed load destroys the source.
  bool StreamAlive(const ChunkQueueSource* src) const;
  // Shows a message (e.g. "file too large") in the UI.
  void ShowMessage(const std::string& text);
  // Loads a pipeline document; `source` names where it came from.
  bool LoadPipelineText(std::string_view json, const std::string& source);
  // Applies a URL fragment: "#pipeline=<base64url>" or "#preset=<name>".
  bool ApplyFragment(std::string_view fragment);
  // Test hook and status: the App's state as a JSON object (rows, load / run state, outputs).
  std::string StatusJson() const;
  // Output bytes of the last run by name ("kept.jsonl"), in parts, owned by the App until the next
  // run or file; nullptr when absent.
  const ChunkedBytes* OutputBytes(std::string_view name) const;
  bool Busy() const;
  // Shows a view by name ("Data", "Pipeline", "Report", "Review", "Export"); false when unknown.
  bool SelectView(std::string_view name);
  // Same as the Run button / Ctrl+Enter, and Export all / Ctrl+E (returns the files saved).
  void StartRun();
  int ExportAll();
  // A chat template (.jinja / tokenizer_config.json; kind Template) or a tokenizer file (kind
  // Tokenizer) for the data view's template preview and token-count column. The page passes the
  // bytes it read; the desktop reads by path (file browser, --template / --tokenizer).
  void LoadTemplateFile(PickKind kind, const std::string& name, std::string_view bytes);
  // Chooses a template by name (a built-in such as "chatml", or a file opened before).
  bool ChooseTemplate(std::string_view name);
  // Selects a dataset row (0-based) and shows it in the inspector, rendered with the template or not.
  void InspectRow(int64_t row, bool with_template);
  // Drives the synthesis panel as its buttons do (test hook, used by the browser e2e): a JSON
  // command {"cmd": "configure" | "focus_key" | "dry_run" | "run" | "cancel" | "use" | "download" |
  // "add_to_pipeline" | "save_pipeline" | "share", ...}; returns {"ok": bool, "message": ...}. It
  // cannot set the API key: that is typed into the key field (focus_key).
  std::string SynthCommand(std::string_view json);

 private:
  std::unique_ptr<Studio> m_s;
};

}  // namespace winnow::ui
