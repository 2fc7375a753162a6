// Jinja interpreter: statements and expressions over the AST, with jinja2's scoping (a for loop
// body gets a fresh scope each iteration; if does not scope; macros see their defining scope),
// Undefined semantics (printing and iterating are fine, using it otherwise raises) and limits.
#include "template/jinja_template.h"

#include <cmath>

#include "template/jinja_interp.h"
#include "template/jinja_parser.h"

namespace winnow::jinja {

// [SECTION] Template

Result<Template> Template::Parse(std::string_view source) {
  Result<Body> body = ParseTemplate(source);
  if (!body.ok()) return body.error();
  Template t;
  t.m_body = std::make_shared<const Body>(std::move(body.value()));
  return t;
}

Result<RenderOutput> Template::Render(const Value& context, const RenderOptions& options) const {
  if (!m_body) return Error{"template_error", "template not parsed"};
  Interp in(options);
  auto globals = std::make_shared<Frame>();
  AddGlobals(globals.get());
  auto ctx = std::make_shared<Frame>();
  if (context.IsDict()) {
    for (const auto& [k, v] : context.DictRef().entries) {
      if (k.IsString()) ctx->Set(k.Str(), v);
    }
  }
  in.frames() = {globals, ctx, std::make_shared<Frame>()};
  in.Exec(*m_body);
  if (in.failed()) {
    if (in.error_code() == "template_raise") return Error{in.error_code(), in.error_message()};
    return Error{in.error_code(), in.error_message() + " (line " + std::to_string(in.line()) + ", column " +
                                      std::to_string(in.col()) + ")"};
  }
  RenderOutput out;
  out.text = std::move(in.root());
  out.generation = std::move(in.generation());
  return out;
}

Result<RenderOutput> Template::RenderJson(const nlohmann::ordered_json& context, const RenderOptions& options) const {
  return Render(Value::FromJson(context), options);
}

// [SECTION] Interp basics

Value Interp::Fail(std::string message, std::string code) {
  if (!m_failed) {
    m_failed = true;
    m_code = std::move(code);
    m_message = std::move(message);
  }
  return Value();
}

bool Interp::Step() {
  if (++m_steps > m_opt.max_steps) {
    Fail("template exceeded the limit of " + std::to_string(m_opt.max_steps) + " loop iterations and calls");
    return false;
  }
  return true;
}

void Interp::Write(std::string_view s) {
  if (m_failed) return;
  std::string& b = m_buffers.back();
  if (b.size() + s.size() > m_opt.max_output_bytes) {
    Fail("template output exceeded " + std::to_string(m_opt.max_output_bytes) + " bytes");
    return;
  }
  b.append(s);
}

Value Interp::Lookup(std::string_view name) {
  for (size_t i = m_frames.size(); i-- > 0;) {
    if (Value* v = m_frames[i]->Find(name)) return *v;
  }
  return Value::Undefined("'" + std::string(name) + "' is undefined");
}

static bool UseUndefined(Interp& in, const Value& v) {
  if (!v.IsUndefined()) return false;
  in.Fail(v.UndefinedHint().empty() ? "value is undefined" : v.UndefinedHint());
  return true;
}

// [SECTION] Statements

Interp::Flow Interp::Exec(const Body& body) {
  for (const auto& n : body) {
    if (m_failed) return Flow::Normal;
    Flow f = ExecNode(*n);
    if (f != Flow::Normal) return f;
  }
  return Flow::Normal;
}

static Value SliceOf(Interp& in, const Value& obj, const Value& start, const Value& stop, const Value& step);

// One run of a for loop over seq. depth is loop.depth: 1, or deeper for a `recursive` loop's
// loop(...) calls, which render the same body over a new sequence in the scope around the loop.
Interp::Flow Interp::ExecFor(const Node& n, const Value& seq, int64_t depth) {
  ValueList items;
  if (!Iterate(seq, &items)) return Flow::Normal;
  auto bind = [&](Frame* f, const Value& item) {
    if (n.targets.size() == 1) {
      f->Set(n.targets[0], item);
      return true;
    }
    ValueList parts;
    if (!Iterate(item, &parts)) return false;
    if (parts.size() != n.targets.size()) {
      Fail(parts.size() < n.targets.size() ? "not enough values to unpack (expected " + std::to_string(n.targets.size()) + ", got " + std::to_string(parts.size()) + ")"
                                           : "too many values to unpack (expected " + std::to_string(n.targets.size()) + ")");
      return false;
    }
    for (size_t i = 0; i < parts.size(); ++i) f->Set(n.targets[i], parts[i]);
    return true;
  };
  if (n.filter) {
    ValueList kept;
    for (const Value& item : items) {
      if (!Step()) return Flow::Normal;
      auto f = std::make_shared<Frame>();
      m_frames.push_back(f);
      bool ok = bind(f.get(), item);
      Value c = ok ? Eval(*n.filter) : Value();
      m_frames.pop_back();
      if (m_failed) return Flow::Normal;
      if (c.Truthy()) kept.push_back(item);
    }
    items = std::move(kept);
  }
  if (items.empty()) return Exec(n.else_body);
  const int64_t len = static_cast<int64_t>(items.size());
  for (int64_t i = 0; i < len; ++i) {
    if (!Step()) return Flow::Normal;
    auto f = std::make_shared<Frame>();
    Value loop = Value::Dict();
    ValueDict& d = loop.DictRef();
    d.entries.reserve(12);
    d.entries.emplace_back(Value("index"), Value(i + 1));
    d.entries.emplace_back(Value("index0"), Value(i));
    d.entries.emplace_back(Value("revindex"), Value(len - i));
    d.entries.emplace_back(Value("revindex0"), Value(len - i - 1));
    d.entries.emplace_back(Value("first"), Value(i == 0));
    d.entries.emplace_back(Value("last"), Value(i == len - 1));
    d.entries.emplace_back(Value("length"), Value(len));
    d.entries.emplace_back(Value("depth"), Value(depth));
    d.entries.emplace_back(Value("depth0"), Value(depth - 1));
    d.entries.emplace_back(Value("previtem"), i > 0 ? items[static_cast<size_t>(i - 1)] : Value::Undefined("there is no previous item"));
    d.entries.emplace_back(Value("nextitem"), i + 1 < len ? items[static_cast<size_t>(i + 1)] : Value::Undefined("there is no next item"));
    d.entries.emplace_back(Value("cycle"), Value::Function("cycle", [i](Interp& in, CallArgs& a) -> Value {
                             if (a.pos.empty()) return in.Fail("no items for cycling given");
                             return a.pos[static_cast<size_t>(i) % a.pos.size()];
                           }));
    if (n.recursive) {
      // loop(children): the loop object is callable in a recursive loop (kCallKey, see Call).
      FrameStack around = m_frames;
      const Node* node = &n;
      d.entries.emplace_back(Value(std::string(kCallKey)), Value::Function("loop", [around, node, depth](Interp& in, CallArgs& a) -> Value {
                               if (a.pos.size() != 1 || !a.kw.empty()) return in.Fail("loop() takes exactly one argument (the items to recurse into)");
                               if (in.call_depth >= in.options().max_call_depth) return in.Fail("maximum recursion depth exceeded");
                               FrameStack saved = in.frames();
                               in.frames() = around;
                               ++in.call_depth;
                               in.PushBuffer();
                               in.ExecFor(*node, a.pos[0], depth + 1);
                               std::string s = in.PopBuffer();
                               --in.call_depth;
                               in.frames() = saved;
                               return Value(std::move(s));
                             }));
    }
    f->Set("loop", loop);
    m_frames.push_back(f);
    bool ok = bind(f.get(), items[static_cast<size_t>(i)]);
    Flow fl = ok ? Exec(n.body) : Flow::Normal;
    m_frames.pop_back();
    if (m_failed) return Flow::Normal;
    if (fl == Flow::Break) break;
  }
  return Flow::Normal;
}


Interp::Flow Interp::ExecNode(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Text: Write(n.text); return Flow::Normal;
    case Node::Kind::Output: {
      Value v = Eval(*n.expr);
      if (m_failed) return Flow::Normal;
      if (v.IsString()) Write(v.Str());
      else Write(v.ToStr());
      return Flow::Normal;
    }
    case Node::Kind::If: {
      for (size_t i = 0; i < n.bodies.size(); ++i) {
        if (i < n.conditions.size()) {
          Value c = Eval(*n.conditions[i]);
          if (m_failed) return Flow::Normal;
          if (!c.Truthy()) continue;
        }
        return Exec(n.bodies[i]);
      }
      return Flow::Normal;
    }
    case Node::Kind::For: {
      SetLocation(n.line, n.col);
      Value seq = Eval(*n.expr);
      if (m_failed) return Flow::Normal;
      ExecFor(n, seq, 1);
      return Flow::Normal;
    }
    case Node::Kind::Set: {
      SetLocation(n.line, n.col);
      Value v = Eval(*n.expr);
      if (m_failed) return Flow::Normal;
      if (!n.target_attr.empty()) {
        Value ns = Lookup(n.targets[0]);
        if (!ns.IsNamespace()) {
          Fail("cannot assign attribute on non-namespace object");
          return Flow::Normal;
        }
        ns.DictRef().Set(Value(n.target_attr), std::move(v));
        return Flow::Normal;
      }
      if (n.targets.size() == 1) {
        Assign(n.targets[0], std::move(v));
        return Flow::Normal;
      }
      ValueList parts;
      if (!Iterate(v, &parts)) return Flow::Normal;
      if (parts.size() != n.targets.size()) {
        Fail("cannot unpack " + std::to_string(parts.size()) + " values into " + std::to_string(n.targets.size()) + " names");
        return Flow::Normal;
      }
      for (size_t i = 0; i < parts.size(); ++i) Assign(n.targets[i], parts[i]);
      return Flow::Normal;
    }
    case Node::Kind::SetBlock: {
      PushBuffer();
      Flow fl = Exec(n.body);
      std::string s = PopBuffer();
      if (m_failed) return Flow::Normal;
      Value v(std::move(s));
      if (n.filter) v = EvalFilter(*n.filter, &v);
      if (m_failed) return Flow::Normal;
      if (!n.target_attr.empty()) {
        Value ns = Lookup(n.targets[0]);
        if (!ns.IsNamespace()) {
          Fail("cannot assign attribute on non-namespace object");
          return Flow::Normal;
        }
        ns.DictRef().Set(Value(n.target_attr), std::move(v));
      } else {
        Assign(n.targets[0], std::move(v));
      }
      return fl;
    }
    case Node::Kind::Macro: Assign(n.text, MakeMacro(n)); return Flow::Normal;
    case Node::Kind::CallBlock: {
      SetLocation(n.line, n.col);
      const Expr& call = *n.expr;
      Value fn = Eval(*call.a);
      if (m_failed) return Flow::Normal;
      CallArgs args;
      for (const auto& a : call.args) {
        args.pos.push_back(Eval(*a));
        if (m_failed) return Flow::Normal;
      }
      for (const auto& [k, a] : call.kwargs) {
        args.kw.emplace_back(k, Eval(*a));
        if (m_failed) return Flow::Normal;
      }
      FrameStack captured = m_frames;
      const Node* node = &n;
      args.kw.emplace_back("caller", Value::Function("caller", [captured, node](Interp& in, CallArgs& a) -> Value {
                             if (in.call_depth >= in.options().max_call_depth) return in.Fail("maximum recursion depth exceeded");
                             FrameStack saved = in.frames();
                             in.frames() = captured;
                             auto f = std::make_shared<Frame>();
                             for (size_t i = 0; i < node->params.size(); ++i) {
                               Value v = a.Get(i, node->params[i]);
                               if (v.IsUndefined() && node->defaults[i]) v = in.Eval(*node->defaults[i]);
                               f->Set(node->params[i], v);
                             }
                             in.frames().push_back(f);
                             ++in.call_depth;
                             in.PushBuffer();
                             in.Exec(node->body);
                             std::string s = in.PopBuffer();
                             --in.call_depth;
                             in.frames() = saved;
                             return Value(std::move(s));
                           }));
      Value r = Call(fn, args);
      if (m_failed) return Flow::Normal;
      Write(r.ToStr());
      return Flow::Normal;
    }
    case Node::Kind::FilterBlock: {
      PushBuffer();
      Flow fl = Exec(n.body);
      Value v(PopBuffer());
      if (m_failed) return Flow::Normal;
      SetLocation(n.line, n.col);
      v = EvalFilter(*n.filter, &v);
      if (m_failed) return Flow::Normal;
      Write(v.ToStr());
      return fl;
    }
    case Node::Kind::Break: return Flow::Break;
    case Node::Kind::Continue: return Flow::Continue;
    case Node::Kind::Generation: {
      bool at_root = m_buffers.size() == 1;
      size_t begin = m_buffers.back().size();
      Flow fl = Exec(n.body);
      if (at_root && !m_failed) m_generation.push_back(Span{begin, m_buffers.back().size()});
      return fl;
    }
    case Node::Kind::Do: Eval(*n.expr); return Flow::Normal;
  }
  return Flow::Normal;
}

Value Interp::MakeMacro(const Node& n) {
  FrameStack captured = m_frames;
  const Node* node = &n;
  return Value::Function(n.text, [captured, node](Interp& in, CallArgs& a) -> Value {
    if (in.call_depth >= in.options().max_call_depth) return in.Fail("maximum recursion depth exceeded");
    auto f = std::make_shared<Frame>();
    size_t npos = node->params.size();
    ValueList varargs;
    for (size_t i = npos; i < a.pos.size(); ++i) varargs.push_back(a.pos[i]);
    Value kwargs = Value::Dict();
    Value caller;
    for (size_t i = 0; i < npos; ++i) {
      Value v;
      bool have = false;
      if (i < a.pos.size()) {
        v = a.pos[i];
        have = true;
      } else {
        for (const auto& [k, kv] : a.kw) {
          if (k == node->params[i]) {
            v = kv;
            have = true;
          }
        }
      }
      if (!have) {
        if (node->defaults[i]) {
          FrameStack saved = in.frames();
          in.frames() = captured;
          in.frames().push_back(f);
          v = in.Eval(*node->defaults[i]);
          in.frames() = saved;
        } else {
          v = Value::Undefined("parameter '" + node->params[i] + "' was not provided");
        }
      }
      f->Set(node->params[i], v);
    }
    for (const auto& [k, kv] : a.kw) {
      if (k == "caller") {
        caller = kv;
        continue;
      }
      bool is_param = false;
      for (const auto& p : node->params) is_param |= p == k;
      if (!is_param) kwargs.DictRef().Set(Value(k), kv);
    }
    f->Set("varargs", Value::List(std::move(varargs)));
    f->Set("kwargs", kwargs);
    if (!caller.IsUndefined()) f->Set("caller", caller);
    FrameStack saved = in.frames();
    in.frames() = captured;
    in.frames().push_back(f);
    ++in.call_depth;
    in.PushBuffer();
    in.Exec(node->body);
    std::string s = in.PopBuffer();
    --in.call_depth;
    in.frames() = saved;
    return Value(std::move(s));
  });
}

// [SECTION] Expressions

Value Interp::Call(const Value& fn, CallArgs& args) {
  if (m_failed) return Value();
  if (!Step()) return Value();
  if (fn.IsFunction()) return fn.Fn()(*this, args);
  if (fn.IsDict() && !fn.IsNamespace()) {
    if (const Value* c = fn.DictRef().Find(kCallKey); c && c->IsFunction()) return c->Fn()(*this, args);
  }
  if (fn.IsUndefined()) {
    UseUndefined(*this, fn);
    return Value();
  }
  return Fail("'" + fn.TypeName() + "' object is not callable");
}

static std::string ObjectTypeRepr(const Value& v) {
  if (v.IsNone()) return "None";
  return v.TypeName() + " object";
}

Value Interp::GetAttr(const Value& obj, const std::string& name) {
  if (obj.IsUndefined()) {
    UseUndefined(*this, obj);
    return Value();
  }
  if (obj.IsDict() && obj.IsNamespace()) {
    if (Value* v = obj.DictRef().Find(std::string_view(name))) return *v;
    return Value::Undefined("'Namespace object' has no attribute '" + name + "'");
  }
  Value m = BoundMethod(*this, obj, name);
  if (!m.IsUndefined() || !m.UndefinedHint().empty()) return m;
  if (obj.IsDict()) {
    if (Value* v = obj.DictRef().Find(std::string_view(name))) return *v;
  }
  return Value::Undefined("'" + ObjectTypeRepr(obj) + "' has no attribute '" + name + "'");
}

Value Interp::GetItem(const Value& obj, const Value& key) {
  if (obj.IsUndefined()) {
    UseUndefined(*this, obj);
    return Value();
  }
  if (obj.IsDict() && !obj.IsNamespace()) {
    if (Value* v = obj.DictRef().Find(key)) return *v;
  } else if (obj.IsList() || obj.IsString()) {
    if (key.IsInt() || key.IsBool()) {
      int64_t i = key.AsInt();
      if (obj.IsList()) {
        int64_t n = static_cast<int64_t>(obj.Items().size());
        if (i < 0) i += n;
        if (i >= 0 && i < n) return obj.Items()[static_cast<size_t>(i)];
        return Value::Undefined("'" + ObjectTypeRepr(obj) + "' has no attribute '" + std::to_string(key.AsInt()) + "'");
      }
      Value r = SliceOf(*this, obj, Value(i), i == -1 ? Value::None() : Value(i + 1), Value::None());
      if (r.IsString() && !r.Str().empty()) return r;
      return Value::Undefined("'str object' has no attribute '" + std::to_string(key.AsInt()) + "'");
    }
  }
  if (key.IsString()) return GetAttr(obj, key.Str());
  return Value::Undefined("'" + ObjectTypeRepr(obj) + "' has no attribute " + key.Repr());
}

bool Interp::Iterate(const Value& v, ValueList* out) {
  switch (v.type()) {
    case Value::Type::Undefined: return true;
    case Value::Type::List: *out = v.Items(); return true;
    case Value::Type::Dict:
      if (v.IsNamespace()) break;
      for (const auto& [k, val] : v.DictRef().entries) out->push_back(k);
      return true;
    case Value::Type::String: {
      const std::string& s = v.Str();
      for (size_t i = 0; i < s.size();) {
        size_t j = i + 1;
        while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
        out->push_back(Value(s.substr(i, j - i)));
        i = j;
      }
      return true;
    }
    default: break;
  }
  Fail("'" + v.TypeName() + "' object is not iterable");
  return false;
}

int Interp::Compare(const Value& a, const Value& b, bool ci) {
  if (a.IsNumber() && b.IsNumber()) {
    if (a.IsFloat() || b.IsFloat()) {
      double x = a.AsFloat(), y = b.AsFloat();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    int64_t x = a.AsInt(), y = b.AsInt();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.IsString() && b.IsString()) {
    if (ci) {
      std::string x = PyLower(a.Str()), y = PyLower(b.Str());
      return x < y ? -1 : x > y ? 1 : 0;
    }
    int c = a.Str().compare(b.Str());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.IsList() && b.IsList() && a.IsTuple() == b.IsTuple()) {
    const ValueList &x = a.Items(), &y = b.Items();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (x[i].Equals(y[i])) continue;
      return Compare(x[i], y[i], ci);
    }
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  if (a.IsUndefined() || b.IsUndefined()) {
    UseUndefined(*this, a.IsUndefined() ? a : b);
    return 0;
  }
  Fail("'<' not supported between instances of '" + a.TypeName() + "' and '" + b.TypeName() + "'");
  return 0;
}

static Value SliceOf(Interp& in, const Value& obj, const Value& start, const Value& stop, const Value& step) {
  int64_t st = step.IsNone() || step.IsUndefined() ? 1 : step.AsInt();
  if (st == 0) return in.Fail("slice step cannot be zero");
  if ((!start.IsNone() && !start.IsUndefined() && !start.IsNumber()) || (!stop.IsNone() && !stop.IsUndefined() && !stop.IsNumber())) {
    return in.Fail("slice indices must be integers or None");
  }
  // Work on code points for strings, elements for lists.
  std::vector<std::string_view> cps;
  const ValueList* list = nullptr;
  int64_t n;
  if (obj.IsString()) {
    const std::string& s = obj.Str();
    for (size_t i = 0; i < s.size();) {
      size_t j = i + 1;
      while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
      cps.push_back(std::string_view(s).substr(i, j - i));
      i = j;
    }
    n = static_cast<int64_t>(cps.size());
  } else if (obj.IsList()) {
    list = &obj.Items();
    n = static_cast<int64_t>(list->size());
  } else if (obj.IsUndefined()) {
    UseUndefined(in, obj);
    return Value();
  } else {
    return in.Fail("'" + obj.TypeName() + "' object is not subscriptable");
  }
  auto norm = [&](const Value& v, int64_t dflt, bool is_start) -> int64_t {
    if (v.IsNone() || v.IsUndefined()) return dflt;
    int64_t x = v.AsInt();
    if (x < 0) {
      x += n;
      if (x < 0) x = st < 0 ? -1 : 0;
    } else if (x >= n) {
      x = st < 0 ? n - 1 : n;
    }
    (void)is_start;
    return x;
  };
  int64_t b = norm(start, st > 0 ? 0 : n - 1, true);
  int64_t e = norm(stop, st > 0 ? n : -1, false);
  std::string s;
  ValueList items;
  for (int64_t i = b; st > 0 ? i < e : i > e; i += st) {
    if (list) items.push_back((*list)[static_cast<size_t>(i)]);
    else s.append(cps[static_cast<size_t>(i)]);
  }
  if (list) return Value::List(std::move(items), obj.IsTuple());
  return Value(std::move(s));
}

Value Interp::EvalFilter(const Expr& e, const Value* input) {
  Value target;
  if (e.a) {
    target = Eval(*e.a);
  } else if (input) {
    target = *input;
  }
  if (m_failed) return Value();
  CallArgs args;
  for (const auto& a : e.args) {
    args.pos.push_back(Eval(*a));
    if (m_failed) return Value();
  }
  for (const auto& [k, a] : e.kwargs) {
    args.kw.emplace_back(k, Eval(*a));
    if (m_failed) return Value();
  }
  SetLocation(e.line, e.col);
  if (!e.a && input == nullptr) return Fail("filter without input");
  return ApplyFilter(*this, e.name, target, args);
}

static bool ArithOperand(Interp& in, const Value& v) {
  if (v.IsUndefined()) {
    UseUndefined(in, v);
    return false;
  }
  return true;
}

static Value PyFloorDiv(Interp& in, const Value& a, const Value& b, bool want_mod) {
  if (a.IsFloat() || b.IsFloat()) {
    // CPython's float_divmod.
    double x = a.AsFloat(), y = b.AsFloat();
    if (y == 0) return in.Fail(want_mod ? "float modulo" : "float floor division by zero");
    double mod = std::fmod(x, y);
    double div = (x - mod) / y;
    if (mod != 0) {
      if ((y < 0) != (mod < 0)) {
        mod += y;
        div -= 1.0;
      }
    } else {
      mod = std::copysign(0.0, y);
    }
    if (want_mod) return Value(mod);
    double fd = div != 0 ? std::floor(div) : std::copysign(0.0, x / y);
    if (div != 0 && div - fd > 0.5) fd += 1.0;
    return Value(fd);
  }
  int64_t x = a.AsInt(), y = b.AsInt();
  if (y == 0) return in.Fail(want_mod ? "integer division or modulo by zero" : "integer division or modulo by zero");
  int64_t q = x / y, r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) {
    --q;
    r += y;
  }
  return want_mod ? Value(r) : Value(q);
}

Value Interp::EvalBinary(const Expr& e) {
  Value a = Eval(*e.a);
  if (m_failed) return Value();
  Value b = Eval(*e.b);
  if (m_failed) return Value();
  SetLocation(e.line, e.col);
  if (e.kind == Expr::Kind::Concat) {
    std::string s = a.ToStr();
    s += b.ToStr();
    if (s.size() > m_opt.max_output_bytes) return Fail("string exceeds the output limit");
    return Value(std::move(s));
  }
  if (!ArithOperand(*this, a) || !ArithOperand(*this, b)) return Value();
  const char* sym = "+";
  switch (e.kind) {
    case Expr::Kind::Add:
      if (a.IsNumber() && b.IsNumber()) {
        if (a.IsFloat() || b.IsFloat()) return Value(a.AsFloat() + b.AsFloat());
        return Value(a.AsInt() + b.AsInt());
      }
      if (a.IsString() && b.IsString()) {
        if (a.Str().size() + b.Str().size() > m_opt.max_output_bytes) return Fail("string exceeds the output limit");
        return Value(a.Str() + b.Str());
      }
      if (a.IsList() && b.IsList() && a.IsTuple() == b.IsTuple()) {
        ValueList r = a.Items();
        r.insert(r.end(), b.Items().begin(), b.Items().end());
        return Value::List(std::move(r), a.IsTuple());
      }
      if ((a.IsString() && !b.IsString()) || (b.IsString() && !a.IsString())) {
        return Fail(a.IsString() ? "can only concatenate str (not \"" + b.TypeName() + "\") to str"
                                 : "unsupported operand type(s) for +: '" + a.TypeName() + "' and '" + b.TypeName() + "'");
      }
      break;
    case Expr::Kind::Sub:
      sym = "-";
      if (a.IsNumber() && b.IsNumber()) {
        if (a.IsFloat() || b.IsFloat()) return Value(a.AsFloat() - b.AsFloat());
        return Value(a.AsInt() - b.AsInt());
      }
      break;
    case Expr::Kind::Mul:
      sym = "*";
      if (a.IsNumber() && b.IsNumber()) {
        if (a.IsFloat() || b.IsFloat()) return Value(a.AsFloat() * b.AsFloat());
        return Value(a.AsInt() * b.AsInt());
      }
      if ((a.IsString() || a.IsList()) && (b.IsInt() || b.IsBool())) {
        int64_t k = b.AsInt();
        if (k <= 0) return a.IsString() ? Value(std::string()) : Value::List({}, a.IsTuple());
        size_t unit = a.IsString() ? a.Str().size() : a.Items().size() * 16;
        if (unit * static_cast<uint64_t>(k) > m_opt.max_output_bytes) return Fail("repetition exceeds the output limit");
        if (a.IsString()) {
          std::string r;
          for (int64_t i = 0; i < k; ++i) r += a.Str();
          return Value(std::move(r));
        }
        ValueList r;
        for (int64_t i = 0; i < k; ++i) r.insert(r.end(), a.Items().begin(), a.Items().end());
        return Value::List(std::move(r), a.IsTuple());
      }
      if ((b.IsString() || b.IsList()) && (a.IsInt() || a.IsBool())) {
        Expr swapped;
        (void)swapped;
        int64_t k = a.AsInt();
        if (k <= 0) return b.IsString() ? Value(std::string()) : Value::List({}, b.IsTuple());
        size_t unit = b.IsString() ? b.Str().size() : b.Items().size() * 16;
        if (unit * static_cast<uint64_t>(k) > m_opt.max_output_bytes) return Fail("repetition exceeds the output limit");
        if (b.IsString()) {
          std::string r;
          for (int64_t i = 0; i < k; ++i) r += b.Str();
          return Value(std::move(r));
        }
        ValueList r;
        for (int64_t i = 0; i < k; ++i) r.insert(r.end(), b.Items().begin(), b.Items().end());
        return Value::List(std::move(r), b.IsTuple());
      }
      break;
    case Expr::Kind::Div:
      sym = "/";
      if (a.IsNumber() && b.IsNumber()) {
        if (b.AsFloat() == 0) return Fail("division by zero");
        return Value(a.AsFloat() / b.AsFloat());
      }
      break;
    case Expr::Kind::FloorDiv:
      sym = "//";
      if (a.IsNumber() && b.IsNumber()) return PyFloorDiv(*this, a, b, false);
      break;
    case Expr::Kind::Mod:
      sym = "%";
      if (a.IsNumber() && b.IsNumber()) return PyFloorDiv(*this, a, b, true);
      if (a.IsString()) return Fail("printf-style string formatting is not supported");
      break;
    case Expr::Kind::Pow:
      sym = "**";
      if (a.IsNumber() && b.IsNumber()) {
        if (!a.IsFloat() && !b.IsFloat() && b.AsInt() >= 0) {
          int64_t r = 1, base = a.AsInt();
          for (int64_t i = 0; i < b.AsInt() && i < 128; ++i) r *= base;
          return Value(r);
        }
        return Value(std::pow(a.AsFloat(), b.AsFloat()));
      }
      break;
    default: break;
  }
  return Fail(std::string("unsupported operand type(s) for ") + sym + ": '" + a.TypeName() + "' and '" + b.TypeName() + "'");
}

static bool Contains(Interp& in, const Value& container, const Value& item) {
  if (container.IsString()) {
    if (!item.IsString()) {
      in.Fail("'in <string>' requires string as left operand, not " + item.TypeName());
      return false;
    }
    return container.Str().find(item.Str()) != std::string::npos;
  }
  if (container.IsList()) {
    for (const auto& v : container.Items()) {
      if (v.Equals(item)) return true;
    }
    return false;
  }
  if (container.IsDict() && !container.IsNamespace()) return container.DictRef().Find(item) != nullptr;
  if (container.IsUndefined()) return false;
  in.Fail("argument of type '" + container.TypeName() + "' is not iterable");
  return false;
}

Value Interp::EvalCompare(const Expr& e) {
  Value left = Eval(*e.a);
  if (m_failed) return Value();
  for (size_t i = 0; i < e.ops.size(); ++i) {
    Value right = Eval(*e.args[i]);
    if (m_failed) return Value();
    SetLocation(e.line, e.col);
    const std::string& op = e.ops[i];
    bool r;
    if (op == "==") r = left.Equals(right);
    else if (op == "!=") r = !left.Equals(right);
    else if (op == "in") r = Contains(*this, right, left);
    else if (op == "notin") r = !Contains(*this, right, left);
    else {
      int c = Compare(left, right);
      if (m_failed) return Value();
      r = op == "<" ? c < 0 : op == "<=" ? c <= 0 : op == ">" ? c > 0 : c >= 0;
    }
    if (m_failed) return Value();
    if (!r) return Value(false);
    left = std::move(right);
  }
  return Value(true);
}

Value Interp::Eval(const Expr& e) {
  if (m_failed) return Value();
  switch (e.kind) {
    case Expr::Kind::Literal: return e.value;
    case Expr::Kind::Name: return Lookup(e.name);
    case Expr::Kind::List:
    case Expr::Kind::Tuple: {
      ValueList items;
      items.reserve(e.args.size());
      for (const auto& a : e.args) {
        items.push_back(Eval(*a));
        if (m_failed) return Value();
      }
      return Value::List(std::move(items), e.kind == Expr::Kind::Tuple);
    }
    case Expr::Kind::Dict: {
      Value d = Value::Dict();
      for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
        Value k = Eval(*e.args[i]);
        Value v = Eval(*e.args[i + 1]);
        if (m_failed) return Value();
        d.DictRef().Set(k, std::move(v));
      }
      return d;
    }
    case Expr::Kind::Attr: {
      Value obj = Eval(*e.a);
      if (m_failed) return Value();
      SetLocation(e.line, e.col);
      return GetAttr(obj, e.name);
    }
    case Expr::Kind::Item: {
      Value obj = Eval(*e.a);
      Value key = Eval(*e.b);
      if (m_failed) return Value();
      SetLocation(e.line, e.col);
      return GetItem(obj, key);
    }
    case Expr::Kind::Slice: {
      Value obj = Eval(*e.a);
      Value parts[3];
      for (int i = 0; i < 3; ++i) parts[i] = e.args[static_cast<size_t>(i)] ? Eval(*e.args[static_cast<size_t>(i)]) : Value::None();
      if (m_failed) return Value();
      SetLocation(e.line, e.col);
      return SliceOf(*this, obj, parts[0], parts[1], parts[2]);
    }
    case Expr::Kind::Call: {
      Value fn = Eval(*e.a);
      if (m_failed) return Value();
      CallArgs args;
      for (const auto& a : e.args) {
        args.pos.push_back(Eval(*a));
        if (m_failed) return Value();
      }
      for (const auto& [k, a] : e.kwargs) {
        args.kw.emplace_back(k, Eval(*a));
        if (m_failed) return Value();
      }
      SetLocation(e.line, e.col);
      return Call(fn, args);
    }
    case Expr::Kind::Filter: return EvalFilter(e, nullptr);
    case Expr::Kind::Test: {
      Value v = Eval(*e.a);
      if (m_failed) return Value();
      CallArgs args;
      for (const auto& a : e.args) {
        args.pos.push_back(Eval(*a));
        if (m_failed) return Value();
      }
      for (const auto& [k, a] : e.kwargs) {
        args.kw.emplace_back(k, Eval(*a));
        if (m_failed) return Value();
      }
      SetLocation(e.line, e.col);
      bool r = ApplyTest(*this, e.name, v, args);
      if (m_failed) return Value();
      return Value(e.negated ? !r : r);
    }
    case Expr::Kind::Neg:
    case Expr::Kind::Pos: {
      Value v = Eval(*e.a);
      if (m_failed) return Value();
      SetLocation(e.line, e.col);
      if (!ArithOperand(*this, v)) return Value();
      if (!v.IsNumber()) return Fail(std::string("bad operand type for unary ") + (e.kind == Expr::Kind::Neg ? "-" : "+") + ": '" + v.TypeName() + "'");
      if (e.kind == Expr::Kind::Pos) return v.IsBool() ? Value(v.AsInt()) : v;
      return v.IsFloat() ? Value(-v.AsFloat()) : Value(-v.AsInt());
    }
    case Expr::Kind::Not: {
      Value v = Eval(*e.a);
      if (m_failed) return Value();
      return Value(!v.Truthy());
    }
    case Expr::Kind::And: {
      Value a = Eval(*e.a);
      if (m_failed || !a.Truthy()) return a;
      return Eval(*e.b);
    }
    case Expr::Kind::Or: {
      Value a = Eval(*e.a);
      if (m_failed || a.Truthy()) return a;
      return Eval(*e.b);
    }
    case Expr::Kind::Compare: return EvalCompare(e);
    case Expr::Kind::Cond: {
      Value c = Eval(*e.b);
      if (m_failed) return Value();
      if (c.Truthy()) return Eval(*e.a);
      if (e.c) return Eval(*e.c);
      return Value::Undefined("the inline if-expression on line " + std::to_string(e.line) + " evaluated to false and no else section was defined.");
    }
    default: return EvalBinary(e);
  }
}

}  // namespace winnow::jinja
