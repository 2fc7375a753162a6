// Jinja interpreter internals shared by jinja_template.cpp (statements, expressions) and
// jinja_builtins.cpp (filters, tests, str / dict methods, globals). Internal to src/template.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "template/jinja_ast.h"
#include "template/jinja_template.h"
#include "template/jinja_value.h"

namespace winnow::jinja {

// The key under which a recursive loop's `loop` object holds its loop(...) function (Call looks
// it up). No chat template names it; jinja2 has no such key on its LoopContext.
inline constexpr std::string_view kCallKey = "__call__";

struct Frame {
  std::vector<std::pair<std::string, Value>> vars;
  Value* Find(std::string_view name) {
    for (auto& [k, v] : vars) {
      if (k == name) return &v;
    }
    return nullptr;
  }
  void Set(std::string_view name, Value v) {
    if (Value* e = Find(name)) {
      *e = std::move(v);
      return;
    }
    vars.emplace_back(std::string(name), std::move(v));
  }
};
using FrameStack = std::vector<std::shared_ptr<Frame>>;

class Interp {
 public:
  explicit Interp(const RenderOptions& opt) : m_opt(opt) {}

  // Errors: the first one wins; evaluation unwinds by checking failed() after each step.
  Value Fail(std::string message, std::string code = "template_error");
  bool failed() const { return m_failed; }
  const std::string& error_code() const { return m_code; }
  const std::string& error_message() const { return m_message; }
  // Location attached to the error (the expression or statement being evaluated).
  void SetLocation(int line, int col) {
    m_line = line;
    m_col = col;
  }
  int line() const { return m_line; }
  int col() const { return m_col; }
  // Counts one unit of work; fails when the step budget is exhausted.
  bool Step();

  // Names.
  Value Lookup(std::string_view name);
  void Assign(std::string_view name, Value v) { m_frames.back()->Set(name, std::move(v)); }
  FrameStack& frames() { return m_frames; }

  // Output.
  void Write(std::string_view s);
  void PushBuffer() { m_buffers.emplace_back(); }
  std::string PopBuffer() {
    std::string s = std::move(m_buffers.back());
    m_buffers.pop_back();
    return s;
  }
  std::string& root() { return m_buffers.front(); }
  std::vector<Span>& generation() { return m_generation; }

  // Evaluation.
  Value Eval(const Expr& e);
  // Control flow of statements: Normal, or a loop control travelling up to its loop.
  enum class Flow { Normal, Break, Continue };
  Flow Exec(const Body& body);
  // A for loop over seq at loop.depth `depth` (recursive loops call it again through loop(...)).
  Flow ExecFor(const Node& n, const Value& seq, int64_t depth);
  Value Call(const Value& fn, CallArgs& args);

  // Attribute / item access with jinja2's getattr / getitem order and sandbox rules.
  Value GetAttr(const Value& obj, const std::string& name);
  Value GetItem(const Value& obj, const Value& key);
  // Iteration (list, tuple, dict keys, string characters, Undefined = empty). Fails otherwise.
  bool Iterate(const Value& v, ValueList* out);
  // Python ordering for sort / min / max / < (fails on incomparable types).
  int Compare(const Value& a, const Value& b, bool case_insensitive = false);

  const RenderOptions& options() const { return m_opt; }
  int call_depth = 0;

 private:
  Flow ExecNode(const Node& n);
  Value EvalFilter(const Expr& e, const Value* input);
  Value EvalBinary(const Expr& e);
  Value EvalCompare(const Expr& e);
  Value MakeMacro(const Node& n);

  const RenderOptions& m_opt;
  FrameStack m_frames;
  std::vector<std::string> m_buffers{1};
  std::vector<Span> m_generation;
  uint64_t m_steps = 0;
  bool m_failed = false;
  std::string m_code, m_message;
  int m_line = 0, m_col = 0;
};

// Builtins (jinja_builtins.cpp).
// Applies filter `name` to input with args; fails for unknown filters.
Value ApplyFilter(Interp& in, const std::string& name, const Value& input, CallArgs& args);
// Applies test `name`; fails for unknown tests.
bool ApplyTest(Interp& in, const std::string& name, const Value& input, CallArgs& args);
bool HasTest(const std::string& name);
// A bound str / dict / list method as a callable Value, or Undefined when obj has no such method.
Value BoundMethod(Interp& in, const Value& obj, const std::string& name);
// Adds range, namespace, dict, raise_exception, strftime_now, ... to a frame.
void AddGlobals(Frame* f);
// Python str helpers used by filters and methods.
std::string PyStrip(std::string_view s, std::string_view chars, bool left, bool right, bool default_ws);
std::string PyLower(std::string_view s);
std::string PyUpper(std::string_view s);

}  // namespace winnow::jinja
