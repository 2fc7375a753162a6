// GL implementation of ui::PointMapRenderer, shared by both studios: desktop OpenGL 3.3 core
// (native/studio) and WebGL2 through Emscripten's GLES3 (wasm/studio compiles this file too). It
// compiles shaders/point_map.{vert,frag} (embedded in the UI resources) with the version line the
// front end gives, and draws the points into a texture through a framebuffer object.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ui/point_map.h"

namespace winnow {

class GlPointMapRenderer final : public ui::PointMapRenderer {
 public:
  // version_line: "#version 330 core" or "#version 300 es" (no newline). name: "gl3", "webgl2".
  GlPointMapRenderer(std::string version_line, std::string name);
  // The GL objects are freed by Release() (call it while the context that made them is current),
  // not by the destructor, which may run after the context is gone.
  ~GlPointMapRenderer() override = default;
  void Release();
  uint64_t Draw(const std::vector<ui::MapPoint>& points, uint64_t generation, int width, int height,
                const ui::PointMapStyle& style) override;
  std::string Error() const override { return m_error; }
  std::string Name() const override { return m_name; }

 private:
  bool Init();
  bool EnsureTarget(int width, int height);

  std::string m_version, m_name, m_error;
  bool m_tried = false, m_ok = false;
  unsigned m_program = 0, m_vao = 0, m_vbo = 0, m_fbo = 0, m_tex = 0;
  int m_loc_viewport = -1, m_loc_radius = -1, m_loc_margin = -1;
  int m_w = 0, m_h = 0;
  uint64_t m_drawn_generation = 0;
  ui::PointMapStyle m_drawn_style;
  bool m_have_drawn = false;
};

}  // namespace winnow
