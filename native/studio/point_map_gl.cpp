// GL point-map renderer (see point_map_gl.h): desktop GL 3.3 core and WebGL2 (GLES 3.0) alike.
// Everything it changes in the GL state is saved first and restored before Draw returns, so the
// ImGui renderer and the main loop find the state they left.
#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#else
#define GL_GLEXT_PROTOTYPES 1
#include <GL/glcorearb.h>
#endif

#include "point_map_gl.h"

#include <cstddef>
#include <string>

#include "ui/resources.h"

namespace winnow {

namespace {

std::string ShaderSource(const char* name) {
  const ui::EmbeddedFile* f = ui::FindEmbedded(name);
  return f ? std::string(ui::EmbeddedText(*f)) : std::string();
}

GLuint Compile(GLenum kind, const std::string& version, const std::string& body, const char* name, std::string* error) {
  const std::string text = version + "\n" + body;
  const char* src = text.c_str();
  GLuint sh = glCreateShader(kind);
  glShaderSource(sh, 1, &src, nullptr);
  glCompileShader(sh);
  GLint ok = 0;
  glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048] = {0};
    glGetShaderInfoLog(sh, sizeof log - 1, nullptr, log);
    *error = std::string(name) + " does not compile: " + log;
    glDeleteShader(sh);
    return 0;
  }
  return sh;
}

// The GL state Draw touches, saved and put back.
struct SavedState {
  GLint framebuffer = 0, viewport[4] = {0, 0, 0, 0}, program = 0, vao = 0, array_buffer = 0, texture = 0, active_texture = 0;
  GLint blend_src_rgb = 0, blend_dst_rgb = 0, blend_src_a = 0, blend_dst_a = 0, blend_eq_rgb = 0, blend_eq_a = 0;
  GLfloat clear[4] = {0, 0, 0, 0};
  GLboolean blend = GL_FALSE, scissor = GL_FALSE, depth = GL_FALSE, cull = GL_FALSE;
  void Save() {
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &framebuffer);
    glGetIntegerv(GL_VIEWPORT, viewport);
    glGetIntegerv(GL_CURRENT_PROGRAM, &program);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vao);
    glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &array_buffer);
    glGetIntegerv(GL_ACTIVE_TEXTURE, &active_texture);
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture);
    glGetIntegerv(GL_BLEND_SRC_RGB, &blend_src_rgb);
    glGetIntegerv(GL_BLEND_DST_RGB, &blend_dst_rgb);
    glGetIntegerv(GL_BLEND_SRC_ALPHA, &blend_src_a);
    glGetIntegerv(GL_BLEND_DST_ALPHA, &blend_dst_a);
    glGetIntegerv(GL_BLEND_EQUATION_RGB, &blend_eq_rgb);
    glGetIntegerv(GL_BLEND_EQUATION_ALPHA, &blend_eq_a);
    glGetFloatv(GL_COLOR_CLEAR_VALUE, clear);
    blend = glIsEnabled(GL_BLEND);
    scissor = glIsEnabled(GL_SCISSOR_TEST);
    depth = glIsEnabled(GL_DEPTH_TEST);
    cull = glIsEnabled(GL_CULL_FACE);
  }
  static void Enable(GLenum cap, GLboolean on) {
    if (on) glEnable(cap);
    else glDisable(cap);
  }
  void Restore() const {
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(framebuffer));
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    glUseProgram(static_cast<GLuint>(program));
    glBindVertexArray(static_cast<GLuint>(vao));
    glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(array_buffer));
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(texture));
    glActiveTexture(static_cast<GLenum>(active_texture));
    glBlendEquationSeparate(static_cast<GLenum>(blend_eq_rgb), static_cast<GLenum>(blend_eq_a));
    glBlendFuncSeparate(static_cast<GLenum>(blend_src_rgb), static_cast<GLenum>(blend_dst_rgb), static_cast<GLenum>(blend_src_a),
                        static_cast<GLenum>(blend_dst_a));
    glClearColor(clear[0], clear[1], clear[2], clear[3]);
    Enable(GL_BLEND, blend);
    Enable(GL_SCISSOR_TEST, scissor);
    Enable(GL_DEPTH_TEST, depth);
    Enable(GL_CULL_FACE, cull);
  }
};

bool SameStyle(const ui::PointMapStyle& a, const ui::PointMapStyle& b) {
  return a.radius_px == b.radius_px && a.margin_px == b.margin_px && a.background == b.background;
}

}  // namespace

GlPointMapRenderer::GlPointMapRenderer(std::string version_line, std::string name)
    : m_version(std::move(version_line)), m_name(std::move(name)) {}

void GlPointMapRenderer::Release() {
  if (m_tex) glDeleteTextures(1, &m_tex);
  if (m_fbo) glDeleteFramebuffers(1, &m_fbo);
  if (m_vbo) glDeleteBuffers(1, &m_vbo);
  if (m_vao) glDeleteVertexArrays(1, &m_vao);
  if (m_program) glDeleteProgram(m_program);
  m_tex = m_fbo = m_vbo = m_vao = m_program = 0;
  m_ok = false;
  m_tried = true;  // no drawing after Release
  m_w = m_h = 0;
  m_error = "released";
}

bool GlPointMapRenderer::Init() {
  m_tried = true;
  const std::string vs_text = ShaderSource("shaders/point_map.vert"), fs_text = ShaderSource("shaders/point_map.frag");
  if (vs_text.empty() || fs_text.empty()) {
    m_error = "shaders/point_map.vert / .frag are not embedded in this build";
    return false;
  }
  GLuint vs = Compile(GL_VERTEX_SHADER, m_version, vs_text, "point_map.vert", &m_error);
  if (!vs) return false;
  GLuint fs = Compile(GL_FRAGMENT_SHADER, m_version, fs_text, "point_map.frag", &m_error);
  if (!fs) {
    glDeleteShader(vs);
    return false;
  }
  m_program = glCreateProgram();
  glAttachShader(m_program, vs);
  glAttachShader(m_program, fs);
  glLinkProgram(m_program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(m_program, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048] = {0};
    glGetProgramInfoLog(m_program, sizeof log - 1, nullptr, log);
    m_error = std::string("point_map shaders do not link: ") + log;
    return false;
  }
  m_loc_viewport = glGetUniformLocation(m_program, "u_viewport");
  m_loc_radius = glGetUniformLocation(m_program, "u_radius");
  m_loc_margin = glGetUniformLocation(m_program, "u_margin");

  GLint prev_vao = 0, prev_buf = 0;
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &prev_vao);
  glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &prev_buf);
  glGenVertexArrays(1, &m_vao);
  glGenBuffers(1, &m_vbo);
  glBindVertexArray(m_vao);
  glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
  // ui::MapPoint: float x, y; uint32 colour (bytes R, G, B, A in memory on little-endian targets).
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ui::MapPoint), reinterpret_cast<const void*>(offsetof(ui::MapPoint, x)));
  glVertexAttribDivisor(0, 1);
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ui::MapPoint),
                        reinterpret_cast<const void*>(offsetof(ui::MapPoint, color)));
  glVertexAttribDivisor(1, 1);
  glBindVertexArray(static_cast<GLuint>(prev_vao));
  glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(prev_buf));
  glGenFramebuffers(1, &m_fbo);
  glGenTextures(1, &m_tex);
  return true;
}

bool GlPointMapRenderer::EnsureTarget(int width, int height) {
  if (width == m_w && height == m_h) return true;
  glBindTexture(GL_TEXTURE_2D, m_tex);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_tex, 0);
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  if (status != GL_FRAMEBUFFER_COMPLETE) {
    m_error = "the point map's framebuffer is incomplete (status " + std::to_string(status) + ")";
    m_w = m_h = 0;
    return false;
  }
  m_w = width;
  m_h = height;
  return true;
}

uint64_t GlPointMapRenderer::Draw(const std::vector<ui::MapPoint>& points, uint64_t generation, int width, int height,
                                  const ui::PointMapStyle& style) {
  if (!m_tried) m_ok = Init();
  if (!m_ok || width <= 0 || height <= 0) return 0;
  if (m_have_drawn && generation == m_drawn_generation && width == m_w && height == m_h && SameStyle(style, m_drawn_style)) {
    return m_tex;
  }
  SavedState saved;
  saved.Save();
  const bool target_ok = EnsureTarget(width, height);
  if (target_ok) {
    m_error.clear();
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
    glViewport(0, 0, width, height);
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    const uint32_t bg = style.background;
    glClearColor(static_cast<float>(bg & 0xFF) / 255.0f, static_cast<float>((bg >> 8) & 0xFF) / 255.0f,
                 static_cast<float>((bg >> 16) & 0xFF) / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    if (!points.empty()) {
      glEnable(GL_BLEND);
      glBlendEquationSeparate(GL_FUNC_ADD, GL_FUNC_ADD);
      // Colour blends over the background; alpha stays 1 (the texture is shown opaque).
      glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ZERO, GL_ONE);
      glUseProgram(m_program);
      glUniform2f(m_loc_viewport, static_cast<float>(width), static_cast<float>(height));
      glUniform1f(m_loc_radius, style.radius_px);
      glUniform1f(m_loc_margin, style.margin_px);
      glBindVertexArray(m_vao);
      glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
      glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(points.size() * sizeof(ui::MapPoint)), points.data(), GL_STATIC_DRAW);
      glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(points.size()));
    }
    m_have_drawn = true;
    m_drawn_generation = generation;
    m_drawn_style = style;
  }
  saved.Restore();
  return target_ok ? m_tex : 0;
}

}  // namespace winnow
