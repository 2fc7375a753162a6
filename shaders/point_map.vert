// Embedding map, vertex stage: one instanced quad per point (4 vertices as a triangle strip,
// gl_VertexID picks the corner). Per instance: the point in map space [-1, 1]^2 (y up) and its
// colour (RGBA8, normalised). No #version line: the front end prepends "#version 300 es" (WebGL2)
// or "#version 330 core" (desktop GL 3.3); the rest is valid in both.
precision highp float;

layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_color;

uniform vec2 u_viewport;  // target size in pixels
uniform float u_radius;   // point radius in pixels
uniform float u_margin;   // free border in pixels, so points at the edge stay whole

out vec2 v_local;  // position inside the quad, in pixels from the point's centre
out vec4 v_color;

void main() {
  vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1)) * 2.0 - 1.0;
  float extent = u_radius + 1.0;  // one pixel more for the anti-aliased edge
  vec2 centre = u_margin + (a_pos * 0.5 + 0.5) * (u_viewport - 2.0 * u_margin);
  vec2 pixel = centre + corner * extent;
  v_local = corner * extent;
  v_color = a_color;
  gl_Position = vec4(pixel / u_viewport * 2.0 - 1.0, 0.0, 1.0);
}
