// Host: what the studio needs from the front end it runs in (desktop window or browser page).
// native/studio and wasm/studio implement it; the UI in src/ui only sees this interface.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace winnow {
class ModelRunner;  // platform/model_runner.h
class HttpClient;   // platform/http_client.h
}

namespace winnow::ui {

class PointMapRenderer;  // ui/point_map.h

// Template / Tokenizer: a chat template or tokenizer file for the data view's template preview.
// References: decontaminate's reference files (the page keeps them by name, like model files).
enum class PickKind { Dataset, Pipeline, ModelFiles, Template, Tokenizer, References };

class Host {
 public:
  virtual ~Host() = default;
  // Monotonic clock in seconds.
  virtual double Now() = 0;
  // True on the desktop: the App shows its own file browser and writes exports to disk.
  virtual bool NativeFiles() const = 0;
  // Web: opens the browser's file picker (the file then streams in through App::BeginStreamedOpen
  // or, for a pipeline, App::LoadPipelineText). Unused on the desktop.
  virtual void PickFile(PickKind kind) {}
  // Saves an output whose bytes are `parts` one after another (a run output's ChunkedBytes::Views(),
  // or one string); the parts are read during the call only, never joined into one buffer. Web: a
  // Blob download named `name`, built part by part. Desktop: a file in ExportDir(), the parts
  // written in order. *where receives the path or name written. Errors: io_error.
  virtual Status SaveFile(const std::string& name, const std::vector<std::string_view>& parts, std::string* where) = 0;
  // Told the path of every dataset the App opens by path (command line, drop, in-app file browser),
  // so the desktop writes exports next to it. Web: unused (files arrive as streams).
  virtual void DatasetOpened(const std::string& path) {}
  // Copies text to the system clipboard (share links).
  virtual void CopyText(const std::string& text) = 0;
  // Web: the page URL without its fragment, for share links; desktop: empty.
  virtual std::string PageUrl() const { return {}; }
  // Web: replaces the page's URL fragment (so a reload keeps the pipeline).
  virtual void SetFragment(const std::string& fragment) {}
  // True when work may run on a worker thread (desktop; web page that is cross-origin isolated).
  virtual bool ThreadsAvailable() const { return false; }
  // Reads a whole file by path (reference files named in step params, e.g. decontaminate).
  // Errors: io_error, unsupported (the page has no file system).
  virtual Result<std::string> ReadFile(const std::string& path) {
    return Error{"unsupported", "cannot read " + path + " here: reference files are only available on the desktop and in the CLI"};
  }
  // ONNX Runtime for score.model / dedup.semantic (desktop: the dlopen'ed library; web: the
  // page's onnxruntime-web). Null when the front end has none (model steps then fail with a message).
  virtual ModelRunner* Models() { return nullptr; }
  // Draws the Report view's embedding map with the GLSL of shaders/ (ui/point_map.h). Null when the
  // front end has no GL renderer: the map is then drawn with ImGui's draw list.
  virtual PointMapRenderer* PointMap() { return nullptr; }
  // HTTP for the LLM steps (synth.*, score.judge): desktop libcurl, web fetch. Its reply cache is set
  // by the front end (a directory on the desktop, IndexedDB in the page); the studio sets
  // secret_lookup to its in-memory key field. Null when the front end has none (LLM steps then fail
  // in Prepare with a message; dry runs work).
  virtual HttpClient* Http() { return nullptr; }
  // A line describing the platform for the status bar ("web, single-threaded", "desktop").
  virtual std::string PlatformName() const = 0;
  // The fallback font for characters the base font lacks (CJK): calls done(bytes of a TTF) now or
  // later (the page fetches it from its own origin), or done("") when there is none. Called once.
  virtual void LoadFallbackFont(std::function<void(std::string)> done) { done({}); }
};

}  // namespace winnow::ui
