// Embedding map, fragment stage: a filled disc with an anti-aliased edge and a darker rim, so
// overlapping points of one colour stay countable. No #version line (see point_map.vert).
precision mediump float;

in vec2 v_local;
in vec4 v_color;

uniform highp float u_radius;  // the same precision as in the vertex stage (GLSL ES requires it)

out vec4 o_color;

void main() {
  float d = length(v_local);
  float coverage = clamp(u_radius + 0.5 - d, 0.0, 1.0);
  if (coverage <= 0.0) discard;
  float rim = smoothstep(u_radius - 1.6, u_radius - 0.4, d);
  vec3 rgb = mix(v_color.rgb, v_color.rgb * 0.45, rim * 0.8);
  o_color = vec4(rgb, v_color.a * coverage);
}
