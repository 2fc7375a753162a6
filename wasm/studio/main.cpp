// Winnow web studio: the browser main loop around App::Frame() (Emscripten's GLFW on WebGL2),
// the web Host (Blob downloads, file picker, clipboard, URL fragment) and the C functions that
// web/studio.js calls to stream a File into the App in chunks.
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "ui/app.h"
#include "ui/chunk_source.h"
#include "http_client_web.h"
#include "model_runner_web.h"
#include "point_map_gl.h"

// ---- JS side (web/studio.js defines window.winnow) ----
EM_JS(void, JsPickFile, (int kind), { window.winnow.pickFile(kind); });
EM_JS(void, JsDownload, (const char* name, const uint32_t* parts, int n), {
  // parts: n (address, length) pairs, the output's parts in order (8 MB each but the last). Each
  // becomes a Blob at once (a Blob copies its bytes when it is made), and the download is the Blob
  // of those Blobs: the output is never joined, in the heap or in JS. winnowHeapU8(): HEAPU8 may be
  // stale after a worker grew the memory. Blob refuses a view of a SharedArrayBuffer (the threaded
  // build's heap): there each part goes through one reused ArrayBuffer of the largest part's size.
  var heap = window.winnowHeapU8();
  var pairs = new Uint32Array(heap.buffer, parts, 2 * n).slice();
  var shared = !(heap.buffer instanceof ArrayBuffer);
  var bounce = null;
  var blobs = [];
  for (var i = 0; i < n; i++) {
    var view = heap.subarray(pairs[2 * i], pairs[2 * i] + pairs[2 * i + 1]);
    if (shared) {
      if (!bounce || bounce.length < view.length) bounce = new Uint8Array(view.length);
      bounce.set(view);
      view = bounce.subarray(0, view.length);
    }
    blobs.push(new Blob([view]));
  }
  window.winnow.download(UTF8ToString(name), blobs);
});
EM_JS(void, JsCopyText, (const char* text), { window.winnow.copyText(UTF8ToString(text)); });
EM_JS(void, JsSetFragment, (const char* text), { window.winnow.setFragment(UTF8ToString(text)); });
EM_JS(char*, JsPageUrl, (), {
  var u = location.href.split('#')[0];
  var n = lengthBytesUTF8(u) + 1;
  var p = _malloc(n);
  stringToUTF8(u, p, n);
  return p;
});
EM_JS(int, JsIsolated, (), { return self.crossOriginIsolated ? 1 : 0; });
EM_JS(double, JsCanvasWidth, (), { return window.winnow.canvasPixels()[0]; });
EM_JS(double, JsCanvasHeight, (), { return window.winnow.canvasPixels()[1]; });
EM_JS(double, JsPixelRatio, (), { return window.devicePixelRatio || 1; });
EM_JS(double, JsWheelFactor, (), { return window.winnowWheelFactor || -0.01; });

namespace {

// winnow_studio_mt is compiled with -pthread (a WINNOW_WASM_THREADS build tree).
#ifdef __EMSCRIPTEN_PTHREADS__
constexpr bool kThreaded = true;
#else
constexpr bool kThreaded = false;
#endif

class WebHost final : public winnow::ui::Host {
 public:
  double Now() override { return emscripten_get_now() / 1000.0; }
  bool NativeFiles() const override { return false; }
  void PickFile(winnow::ui::PickKind kind) override {
    // web/studio.js: 0 dataset, 1 pipeline, 2 model files, 3 chat template, 4 tokenizer.
    using winnow::ui::PickKind;
    JsPickFile(kind == PickKind::Dataset      ? 0
               : kind == PickKind::Pipeline   ? 1
               : kind == PickKind::ModelFiles ? 2
               : kind == PickKind::Template   ? 3
               : kind == PickKind::Tokenizer  ? 4
                                              : 5);
  }
  // Model / tokenizer / reference files the user added with "Model files..." or "Reference
  // files..." (by name), then the default.
  winnow::Result<std::string> ReadFile(const std::string& path) override { return winnow::ReadPageModelFile(path); }
  winnow::ModelRunner* Models() override { return &winnow::PageModelRunner(); }
  // The Report view's embedding map on WebGL2 (native/studio/point_map_gl.cpp, built here too).
  winnow::ui::PointMapRenderer* PointMap() override {
    static winnow::GlPointMapRenderer renderer("#version 300 es", "webgl2");
    return &renderer;
  }
  // fetch() from the page (web/http_client.js); replies cached in IndexedDB.
  winnow::HttpClient* Http() override {
    static winnow::FetchHttpClient client;
    if (!winnow::FetchHttpClient::Available()) return nullptr;
    if (!m_http_ready) {
      client.cache = &winnow::PageResponseStore();
      m_http_ready = true;
    }
    return &client;
  }
  winnow::Status SaveFile(const std::string& name, const std::vector<std::string_view>& parts, std::string* where) override {
    std::vector<uint32_t> pairs;  // wasm32: addresses and lengths fit 32 bits
    pairs.reserve(2 * parts.size());
    for (std::string_view p : parts) {
      pairs.push_back(static_cast<uint32_t>(reinterpret_cast<uintptr_t>(p.data())));
      pairs.push_back(static_cast<uint32_t>(p.size()));
    }
    JsDownload(name.c_str(), pairs.data(), static_cast<int>(parts.size()));
    if (where) *where = name;
    return winnow::Status::Ok();
  }
  void CopyText(const std::string& text) override { JsCopyText(text.c_str()); }
  std::string PageUrl() const override {
    char* p = JsPageUrl();
    std::string u(p);
    free(p);
    return u;
  }
  void SetFragment(const std::string& fragment) override { JsSetFragment(fragment.c_str()); }
  // dist/fonts/ (wasm/studio/CMakeLists.txt), fetched from the page's own origin the first time
  // the data holds a character DejaVu lacks; nothing about the data goes with the request.
  void LoadFallbackFont(std::function<void(std::string)> done) override {
    auto* pending = new std::function<void(std::string)>(std::move(done));
    emscripten_async_wget_data(
        "fonts/DroidSansFallbackFull.ttf", pending,
        [](void* arg, void* data, int size) {
          std::unique_ptr<std::function<void(std::string)>> f(static_cast<std::function<void(std::string)>*>(arg));
          (*f)(std::string(static_cast<const char*>(data), static_cast<size_t>(size)));
        },
        [](void* arg) {
          std::unique_ptr<std::function<void(std::string)>> f(static_cast<std::function<void(std::string)>*>(arg));
          std::fprintf(stderr, "winnow: fonts/DroidSansFallbackFull.ttf could not be fetched: CJK text draws as U+FFFD\n");
          (*f)(std::string());
        });
  }
  // The threaded build (winnow_studio_mt) is loaded only by a cross-origin isolated page.
  bool ThreadsAvailable() const override { return kThreaded; }
  std::string PlatformName() const override {
    if (kThreaded) return "web, cross-origin isolated, worker thread";
    return JsIsolated() ? "web, cross-origin isolated, frame-sliced" : "web, frame-sliced";
  }

 private:
  bool m_http_ready = false;
};

// Emscripten's GLFW has no clipboard: ImGui copies into this string (and the system clipboard
// through JS) and pastes what the page's last paste event carried (web/studio.js, winnow_paste).
std::string g_clipboard;
const char* GetClipboard(void*) { return g_clipboard.c_str(); }
void SetClipboard(void*, const char* text) {
  g_clipboard = text ? text : "";
  JsCopyText(g_clipboard.c_str());
}

GLFWwindow* g_window = nullptr;
WebHost* g_host = nullptr;
winnow::ui::App* g_app = nullptr;
winnow::ui::ChunkQueueSource* g_stream = nullptr;
std::string g_status;
int g_w = 0, g_h = 0;

void Frame() {
  double t0 = emscripten_get_now();
  // Follow the window size and device-pixel ratio: the canvas backing store is CSS size x DPR.
  int w = static_cast<int>(JsCanvasWidth()), h = static_cast<int>(JsCanvasHeight());
  if (w > 0 && h > 0 && (w != g_w || h != g_h)) {
    glfwSetWindowSize(g_window, w, h);
    g_w = w;
    g_h = h;
  }
  if (g_app->SetScale(static_cast<float>(JsPixelRatio()))) {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  try {
    g_app->Frame();
  } catch (const std::bad_alloc&) {
    // The tab ran out of wasm memory (4 GB at most): say so instead of leaving a dead page.
    ImGui::EndFrame();
    g_app->ShowMessage("The browser tab ran out of memory. Use a smaller file, the desktop studio, or the winnow CLI.");
    return;
  }
  ImGui::Render();
  int fw = 0, fh = 0;
  glfwGetFramebufferSize(g_window, &fw, &fh);
  glViewport(0, 0, fw, fh);
  glClearColor(0.1f, 0.1f, 0.11f, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  // The benchmark reads how long each frame's work took (UI + GL commands) from JS.
  EM_ASM({ if (window.winnow.frameTimes) window.winnow.frameTimes.push($0); }, emscripten_get_now() - t0);
  // Loading and searching continue in page tasks between frames (web/studio.js, schedulePump).
  if (g_app->HasBackgroundWork()) EM_ASM({ window.winnow.schedulePump(); });
}

}  // namespace

// ---- called from web/studio.js ----
extern "C" {

// Starts streaming a file; returns 1 when the App accepted it. size: bytes of the File (0 unknown);
// max_memory: the Dataset size at which the load stops with a "too large" message.
EMSCRIPTEN_KEEPALIVE int winnow_open_begin(const char* name, double size, double max_memory) {
  g_stream = g_app->BeginStreamedOpen(name, static_cast<uint64_t>(size), static_cast<uint64_t>(max_memory));
  return g_stream != nullptr;
}
// Pushes n decompressed bytes; raw_consumed: bytes of the File read so far (progress).
EMSCRIPTEN_KEEPALIVE void winnow_open_push(const char* data, int n, double raw_consumed) {
  if (!g_app->StreamAlive(g_stream)) return;
  g_stream->Push(data, static_cast<size_t>(n));
  g_stream->SetRawConsumed(static_cast<uint64_t>(raw_consumed));
}
// Zero-copy push: returns n writable bytes in the wasm heap for JS to fill with the next chunk
// (null when no stream is open), then winnow_open_commit queues the first k of them.
EMSCRIPTEN_KEEPALIVE char* winnow_open_chunk(int n) {
  if (!g_app->StreamAlive(g_stream)) return nullptr;
  return g_stream->BeginChunk(static_cast<size_t>(n));
}
EMSCRIPTEN_KEEPALIVE void winnow_open_commit(int k, double raw_consumed) {
  if (!g_app->StreamAlive(g_stream)) return;
  g_stream->CommitChunk(static_cast<size_t>(k));
  g_stream->SetRawConsumed(static_cast<uint64_t>(raw_consumed));
}
// Loads / searches for about budget_ms between frames (a page task); returns 1 while work that can
// run now remains.
EMSCRIPTEN_KEEPALIVE int winnow_pump(double budget_ms) {
  try {
    return g_app->PumpBackground(budget_ms / 1000.0) ? 1 : 0;
  } catch (const std::bad_alloc&) {
    // As in Frame(): say so rather than abort the page (the next frame shows the message).
    g_app->ShowMessage("The browser tab ran out of memory. Use a smaller file, the desktop studio, or the winnow CLI.");
    return 0;
  }
}
EMSCRIPTEN_KEEPALIVE void winnow_open_end(const char* error) {
  if (!g_app->StreamAlive(g_stream)) {
    g_stream = nullptr;
    return;
  }
  if (error && *error) g_stream->Fail(error);
  else g_stream->Finish();
  g_stream = nullptr;
}
// Bytes pushed but not yet parsed (JS pauses reading above a high-water mark); -1 when no stream
// is open (the load finished, failed or was cancelled: JS stops reading).
EMSCRIPTEN_KEEPALIVE double winnow_open_buffered() {
  if (!g_app->StreamAlive(g_stream)) {
    g_stream = nullptr;
    return -1;
  }
  return static_cast<double>(g_stream->Buffered());
}
EMSCRIPTEN_KEEPALIVE void winnow_message(const char* text) { g_app->ShowMessage(text); }
// The text of a paste event: ImGui's Ctrl+V (read on the next frame) inserts it.
EMSCRIPTEN_KEEPALIVE void winnow_paste(const char* text) { g_clipboard = text ? text : ""; }
EMSCRIPTEN_KEEPALIVE int winnow_load_pipeline(const char* text, const char* source) {
  return g_app->LoadPipelineText(text, source);
}
EMSCRIPTEN_KEEPALIVE int winnow_apply_fragment(const char* fragment) { return g_app->ApplyFragment(fragment); }
// A chat template (kind 3) or tokenizer (kind 4) file the user chose: n bytes at data.
EMSCRIPTEN_KEEPALIVE void winnow_template_file(int kind, const char* name, const char* data, int n) {
  g_app->LoadTemplateFile(kind == 4 ? winnow::ui::PickKind::Tokenizer : winnow::ui::PickKind::Template, name,
                          std::string_view(data, static_cast<size_t>(n)));
}
// Test hook: select a row and show it in the inspector, rendered with the template when with_template.
EMSCRIPTEN_KEEPALIVE void winnow_inspect(int row, int with_template) { g_app->InspectRow(row, with_template != 0); }
// The synthesis panel's test hook (App::SynthCommand); the reply is valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* winnow_synth(const char* command) {
  static std::string reply;
  reply = g_app->SynthCommand(command);
  return reply.c_str();
}
// The App's status as JSON (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* winnow_status() {
  g_status = g_app->StatusJson();
  return g_status.c_str();
}

}  // extern "C"

int main() {
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  g_w = static_cast<int>(JsCanvasWidth());
  g_h = static_cast<int>(JsCanvasHeight());
  g_window = glfwCreateWindow(g_w > 0 ? g_w : 1280, g_h > 0 ? g_h : 800, "Winnow", nullptr, nullptr);
  if (!g_window) return 1;
  glfwMakeContextCurrent(g_window);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplGlfw_InitForOpenGL(g_window, true);
  // Emscripten's GLFW passes the wheel event's raw deltas (web/studio.js, "Mouse wheel"): scale
  // them to notches, up positive, before ImGui's own callback sees them.
  glfwSetScrollCallback(g_window, [](GLFWwindow* w, double x, double y) {
    const double f = JsWheelFactor();
    ImGui_ImplGlfw_ScrollCallback(w, x * f, y * f);
  });
  ImGui_ImplOpenGL3_Init("#version 300 es");
  ImGui::GetIO().GetClipboardTextFn = GetClipboard;
  ImGui::GetIO().SetClipboardTextFn = SetClipboard;
  ImGui::GetIO().ClipboardUserData = nullptr;
  static WebHost host;
  static winnow::ui::App app(host);
  g_host = &host;
  g_app = &app;
  app.SetScale(static_cast<float>(JsPixelRatio()));
  EM_ASM({ window.winnow.ready(); });
  emscripten_set_main_loop(Frame, 0, false);
  return 0;
}
