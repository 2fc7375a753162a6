// Winnow desktop studio: a GLFW + OpenGL 3 window that runs the same App::Frame() as the web page.
//   winnow-studio [DATASET] [--pipeline FILE | --preset NAME] [--out DIR] [--run] [--export]
//                 [--status-file FILE] [--size WxH] [--view NAME]
//                 [--template NAME|FILE] [--tokenizer FILE] [--inspect ROW]
// DATASET opens at start (drag and drop and the in-app browser work too). Exports go next to the
// input (DIR "<input>.winnow/") unless --out says otherwise. --run starts the pipeline once the data
// is loaded; --export saves every output when the run ends; --status-file rewrites FILE with the
// App's status JSON whenever it changes (used by the window test under Xvfb); --view shows a view
// (Data, Pipeline, Report, Review, Export) once the run is exported. --template (a built-in name, a
// .jinja or a tokenizer_config.json) and --tokenizer (.tiktoken, tokenizer.json) set up the data
// view's template preview and token column; --inspect ROW (1-based) shows that row rendered with it
// once the data is loaded.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http_client_native.h"
#include "model_runner_native.h"
#include "point_map_gl.h"
#include "platform/file_io.h"
#include "synth/response_store.h"
#include "ui/app.h"

namespace {

namespace fs = std::filesystem;

// libcurl for the synthesis panel, polled once per frame without waiting (the UI thread draws at
// 60 fps); replies cached in the user's cache directory ($XDG_CACHE_HOME or ~/.cache, winnow/synth-cache).
class StudioHttpClient final : public winnow::HttpClient {
 public:
  StudioHttpClient() {
    const char* xdg = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    fs::path dir = xdg && *xdg ? fs::path(xdg) : home && *home ? fs::path(home) / ".cache" : fs::path();
    if (!dir.empty()) m_store = winnow::NewDirResponseStore((dir / "winnow" / "synth-cache").string());
    cache = m_store.get();
  }
  uint64_t Start(winnow::HttpRequest request, Callback done) override { return m_curl.Start(std::move(request), std::move(done)); }
  void Cancel(uint64_t id) override { m_curl.Cancel(id); }
  void Poll(int) override { m_curl.Poll(0); }
  size_t InFlight() const override { return m_curl.InFlight(); }

 private:
  winnow::CurlHttpClient m_curl;
  std::unique_ptr<winnow::ResponseStore> m_store;
};

class DesktopHost final : public winnow::ui::Host {
 public:
  explicit DesktopHost(GLFWwindow* w) : m_window(w) {}
  double Now() override { return glfwGetTime(); }
  bool NativeFiles() const override { return true; }
  winnow::Status SaveFile(const std::string& name, const std::vector<std::string_view>& parts, std::string* where) override {
    fs::path dir = ExportDir();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return winnow::Error{"io_error", "cannot create " + dir.string() + ": " + ec.message()};
    fs::path p = dir / name;
    auto sink = winnow::OpenOutputFile(p.string());
    if (!sink.ok()) return sink.error();
    winnow::Status st;
    for (std::string_view part : parts) {
      if (!(st = sink.value()->Write(part)).ok()) return st;
    }
    st = sink.value()->Close();
    if (!st.ok()) return st;
    if (where) *where = dir.string();
    return winnow::Status::Ok();
  }
  void DatasetOpened(const std::string& path) override { input_path = path; }
  void CopyText(const std::string& text) override { glfwSetClipboardString(m_window, text.c_str()); }
  bool ThreadsAvailable() const override { return true; }
  std::string PlatformName() const override { return "desktop"; }
  winnow::ModelRunner* Models() override { return &winnow::NativeModelRunner(); }
  winnow::ui::PointMapRenderer* PointMap() override { return point_map; }
  winnow::HttpClient* Http() override {
    if (!m_http) m_http = std::make_unique<StudioHttpClient>();
    return m_http.get();
  }
  winnow::Result<std::string> ReadFile(const std::string& path) override {
    auto src = winnow::OpenInputFile(path);
    if (!src.ok()) return src.error();
    std::string out;
    char buf[1 << 16];
    for (;;) {
      auto n = src.value()->Read(buf, sizeof buf);
      if (!n.ok()) return n.error();
      if (n.value() == 0) break;
      out.append(buf, n.value());
    }
    return out;
  }
  // Read when the data first holds a character DejaVu lacks; "" (U+FFFD drawn) when not installed.
  void LoadFallbackFont(std::function<void(std::string)> done) override {
    auto bytes = ReadFile(WINNOW_FALLBACK_FONT);
    if (!bytes.ok()) std::fprintf(stderr, "winnow-studio: no fallback font (%s): CJK text draws as U+FFFD\n", bytes.error().message.c_str());
    done(bytes.ok() ? std::move(bytes.value()) : std::string());
  }
  fs::path ExportDir() const {
    if (!out_dir.empty()) return out_dir;
    if (input_path.empty()) return fs::current_path() / "winnow-output";
    return fs::path(input_path + ".winnow");
  }

  std::string out_dir, input_path;
  winnow::ui::PointMapRenderer* point_map = nullptr;  // set once the GL context exists

 private:
  GLFWwindow* m_window;
  std::unique_ptr<StudioHttpClient> m_http;
};

winnow::ui::App* g_app = nullptr;
DesktopHost* g_host = nullptr;

void OnDrop(GLFWwindow*, int count, const char** paths) {
  if (count > 0 && g_app) {
    g_app->OpenPath(paths[0]);
  }
}

void Usage() {
  std::fprintf(stderr,
               "usage: winnow-studio [DATASET] [--pipeline FILE | --preset NAME] [--out DIR] [--run] [--export]\n"
               "                     [--status-file FILE] [--size WxH] [--view NAME]\n"
               "                     [--template NAME|FILE] [--tokenizer FILE] [--inspect ROW]\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::string dataset, pipeline, preset, out_dir, status_file, view, template_arg, tokenizer_arg, inspect_arg;
  bool run = false, do_export = false;
  int width = 1400, height = 860;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&](std::string* v) {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    std::string size;
    if (a == "--pipeline" && next(&pipeline)) continue;
    if (a == "--preset" && next(&preset)) continue;
    if (a == "--out" && next(&out_dir)) continue;
    if (a == "--status-file" && next(&status_file)) continue;
    if (a == "--view" && next(&view)) continue;
    if (a == "--template" && next(&template_arg)) continue;
    if (a == "--tokenizer" && next(&tokenizer_arg)) continue;
    if (a == "--inspect" && next(&inspect_arg)) continue;
    if (a == "--size" && next(&size)) {
      if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2) {
        Usage();
        return 2;
      }
      continue;
    }
    if (a == "--run") { run = true; continue; }
    if (a == "--export") { do_export = true; continue; }
    if (a == "-h" || a == "--help") { Usage(); return 0; }
    if (!a.empty() && a[0] != '-' && dataset.empty()) { dataset = a; continue; }
    Usage();
    return 2;
  }

  if (!glfwInit()) {
    std::fprintf(stderr, "winnow-studio: cannot initialise GLFW (is there a display?)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(width, height, "Winnow studio", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "winnow-studio: cannot create an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  DesktopHost host(window);
  // The Report view's embedding map, drawn with the GLSL of shaders/ (released before the context).
  winnow::GlPointMapRenderer point_map("#version 330 core", "gl3");
  host.point_map = &point_map;
  host.out_dir = out_dir;
  winnow::ui::App app(host);
  g_app = &app;
  g_host = &host;
  glfwSetDropCallback(window, OnDrop);

  float xs = 1, ys = 1;
  glfwGetWindowContentScale(window, &xs, &ys);
  app.SetScale(xs);

  if (!pipeline.empty()) {
    auto text = host.ReadFile(pipeline);
    if (!text.ok()) {
      std::fprintf(stderr, "winnow-studio: %s\n", text.error().message.c_str());
      return 3;
    }
    if (!app.LoadPipelineText(text.value(), pipeline)) return 2;
  } else if (!preset.empty()) {
    if (!app.ApplyFragment("#preset=" + preset)) {
      std::fprintf(stderr, "winnow-studio: no preset named %s\n", preset.c_str());
      return 2;
    }
  }
  // Template preview: a file is read by path, anything else is taken as a built-in's name.
  if (!tokenizer_arg.empty()) {
    auto text = host.ReadFile(tokenizer_arg);
    if (!text.ok()) {
      std::fprintf(stderr, "winnow-studio: %s\n", text.error().message.c_str());
      return 3;
    }
    app.LoadTemplateFile(winnow::ui::PickKind::Tokenizer, tokenizer_arg, text.value());
  }
  if (!template_arg.empty()) {
    std::error_code ec;
    if (fs::is_regular_file(template_arg, ec)) {
      auto text = host.ReadFile(template_arg);
      if (!text.ok()) {
        std::fprintf(stderr, "winnow-studio: %s\n", text.error().message.c_str());
        return 3;
      }
      app.LoadTemplateFile(winnow::ui::PickKind::Template, template_arg, text.value());
    } else if (!app.ChooseTemplate(template_arg)) {
      std::fprintf(stderr, "winnow-studio: %s is neither a file nor a built-in template\n", template_arg.c_str());
      return 2;
    }
  }
  long inspect_row = inspect_arg.empty() ? 0 : std::strtol(inspect_arg.c_str(), nullptr, 10);
  if (!inspect_arg.empty() && inspect_row < 1) {
    Usage();
    return 2;
  }
  if (!dataset.empty()) {
    app.OpenPath(dataset);
  }

  bool run_started = false, exported = false, inspected = false;
  std::string last_status;
  while (!glfwWindowShouldClose(window)) {
    // Poll without blocking while work is under way; otherwise wait for input (idle = no CPU).
    if (app.Busy()) glfwPollEvents();
    else glfwWaitEventsTimeout(0.25);
    float sx = 1, sy = 1;
    glfwGetWindowContentScale(window, &sx, &sy);
    if (app.SetScale(sx)) {
      ImGui_ImplOpenGL3_DestroyFontsTexture();
      ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    app.Frame();
    ImGui::Render();
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window, &fw, &fh);
    glViewport(0, 0, fw, fh);
    glClearColor(0.1f, 0.1f, 0.11f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    glfwSwapBuffers(window);

    std::string status = app.StatusJson();
    bool loaded = status.find("\"load\":\"done\"") != std::string::npos;
    bool finished = status.find("\"run\":\"done\"") != std::string::npos;
    if (inspect_row > 0 && !inspected && loaded) {
      app.InspectRow(inspect_row - 1, true);
      inspected = true;
    }
    if (run && !run_started && loaded) {
      app.StartRun();
      run_started = true;
    }
    if (do_export && finished && !exported) {
      app.ExportAll();
      exported = true;
      if (!view.empty()) app.SelectView(view);
      status = app.StatusJson();
    }
    if (!status_file.empty()) {
      // The frame counter changes every frame; write only when something else changed.
      nlohmann::json j = nlohmann::json::parse(status, nullptr, false);
      if (!j.is_discarded()) j.erase("frames");
      std::string key = j.dump();
      if (key != last_status) {
        last_status = key;
        std::ofstream(status_file + ".tmp") << status << "\n";
        std::error_code ec;
        fs::rename(status_file + ".tmp", status_file, ec);
      }
    }
  }
  host.point_map = nullptr;
  point_map.Release();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return 0;
}
