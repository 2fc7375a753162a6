// Jinja template engine (public API): parse a chat template once, render it many times.
// Compatible with Hugging Face transformers' environment (jinja2 ImmutableSandboxedEnvironment,
// trim_blocks, lstrip_blocks, loop controls, raise_exception, strftime_now, its tojson, and
// {% generation %} blocks that mark assistant spans). Written here, not vendored; the oracle tests
// (tests/unit/template/oracle_test.cpp) compare its output byte for byte with Python's jinja2.
// Thread-safety: a parsed Template is immutable; Render may run concurrently on one Template.
#pragma once
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "template/jinja_value.h"

namespace winnow::jinja {

struct Node;

struct RenderOptions {
  // Output larger than this fails with "template_error" (guards loops that emit without end).
  size_t max_output_bytes = 64u << 20;
  // Nested macro / caller calls deeper than this fail (guards unbounded recursion).
  int max_call_depth = 64;
  // Upper bound on loop iterations + calls in one render (guards nested huge loops).
  uint64_t max_steps = 20'000'000;
  // Seconds since the Unix epoch (UTC) that strftime_now() formats; < 0 = the system clock.
  // Tests fix it so output is reproducible.
  int64_t now_unix_seconds = -1;
};

// A span of the output in byte offsets [begin, end).
struct Span {
  size_t begin = 0;
  size_t end = 0;
  bool operator==(const Span&) const = default;
};

struct RenderOutput {
  std::string text;
  // Output of each {% generation %} block (transformers' assistant masks), in byte offsets.
  std::vector<Span> generation;
};

class Template {
 public:
  Template() = default;
  // Parses source. Error code "template_syntax"; the message ends "(line L, column C)".
  static Result<Template> Parse(std::string_view source);
  // Renders with `context` (a dict Value: messages, tools, add_generation_prompt, bos_token, ...).
  // Errors (code, message):
  //   "template_raise": raise_exception(msg) was called; message is msg exactly.
  //   "template_error": a Jinja runtime error (undefined attribute use, type error, limits);
  //                     the message ends "(line L, column C)".
  // Never throws, never hangs (RenderOptions limits).
  Result<RenderOutput> Render(const Value& context, const RenderOptions& options = {}) const;
  // Convenience: context from JSON (ordered, so dict order is the document's order).
  Result<RenderOutput> RenderJson(const nlohmann::ordered_json& context, const RenderOptions& options = {}) const;
  bool valid() const { return m_body != nullptr; }

 private:
  std::shared_ptr<const std::vector<std::unique_ptr<Node>>> m_body;
};

}  // namespace winnow::jinja
