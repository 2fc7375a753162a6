// Jinja Value: the dynamic value model of the template engine (Python semantics: None, bool, int,
// float, str, list / tuple, dict with insertion order, namespace, callables, Jinja's Undefined).
// Lists and dicts are shared by reference, as in Python. Also Python-compatible str() / repr()
// / json.dumps() formatting, byte-identical to CPython for the values templates produce.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace winnow::jinja {

class Value;
class Interp;
struct CallArgs;
using ValueList = std::vector<Value>;
struct ValueDict;
// A native function: returns a Value; on failure it calls interp.Fail(...) and returns Undefined.
using NativeFn = std::function<Value(Interp& interp, CallArgs& args)>;

class Value {
 public:
  enum class Type : uint8_t { Undefined, None, Bool, Int, Float, String, List, Dict, Function };

  Value() = default;  // Undefined
  static Value Undefined(std::string hint = {});
  static Value None();
  Value(bool b);                  // NOLINT
  Value(int v) : Value(static_cast<int64_t>(v)) {}  // NOLINT
  Value(int64_t v);               // NOLINT
  Value(double v);                // NOLINT
  Value(std::string s);           // NOLINT
  Value(std::string_view s) : Value(std::string(s)) {}  // NOLINT
  Value(const char* s) : Value(std::string(s)) {}       // NOLINT
  static Value List(ValueList items = {}, bool tuple = false);
  static Value Dict();
  static Value Namespace();
  static Value Function(std::string name, NativeFn fn);
  // JSON → Value (objects keep key order as nlohmann stores it: callers that care use ordered_json).
  static Value FromJson(const nlohmann::ordered_json& j);

  Type type() const { return m_type; }
  bool IsUndefined() const { return m_type == Type::Undefined; }
  bool IsNone() const { return m_type == Type::None; }
  bool IsBool() const { return m_type == Type::Bool; }
  bool IsInt() const { return m_type == Type::Int; }
  bool IsFloat() const { return m_type == Type::Float; }
  bool IsNumber() const { return m_type == Type::Int || m_type == Type::Float || m_type == Type::Bool; }
  bool IsString() const { return m_type == Type::String; }
  bool IsList() const { return m_type == Type::List; }
  bool IsTuple() const { return m_type == Type::List && m_tuple; }
  bool IsDict() const { return m_type == Type::Dict; }
  bool IsNamespace() const { return m_type == Type::Dict && m_namespace; }
  bool IsFunction() const { return m_type == Type::Function; }

  bool AsBool() const { return m_b; }
  int64_t AsInt() const { return m_type == Type::Bool ? (m_b ? 1 : 0) : m_i; }
  double AsFloat() const { return m_type == Type::Float ? m_f : static_cast<double>(AsInt()); }
  const std::string& Str() const { return *m_s; }
  ValueList& Items() const { return *m_list; }
  ValueDict& DictRef() const { return *m_dict; }
  const std::string& FunctionName() const { return m_s ? *m_s : EmptyString(); }
  const NativeFn& Fn() const { return *m_fn; }
  // For Undefined: the name or hint used in error messages ("'x' is undefined").
  const std::string& UndefinedHint() const { return m_s ? *m_s : EmptyString(); }
  // Identity of shared containers (for `is sameas`).
  const void* Identity() const;

  // Python truthiness.
  bool Truthy() const;
  // Python str(x) and repr(x).
  std::string ToStr() const;
  std::string Repr() const;
  // Python ==.
  bool Equals(const Value& o) const;
  // Python hash-compatible key for set / dict membership (strings, numbers, bool, None, tuples).
  std::string Key() const;
  // Python len(); -1 when the value has no length.
  int64_t Length() const;
  // Type name as Python spells it ('str', 'dict', ...), for error messages.
  std::string TypeName() const;

 private:
  static const std::string& EmptyString();
  Type m_type = Type::Undefined;
  bool m_b = false;
  bool m_tuple = false;
  bool m_namespace = false;
  int64_t m_i = 0;
  double m_f = 0;
  std::shared_ptr<const std::string> m_s;
  std::shared_ptr<ValueList> m_list;
  std::shared_ptr<ValueDict> m_dict;
  std::shared_ptr<NativeFn> m_fn;
};

// Insertion-ordered dict (Python 3.7+ semantics). Keys are Values; lookups are linear, which is
// fastest for the small dicts (messages, tool calls) that chat templates handle.
struct ValueDict {
  std::vector<std::pair<Value, Value>> entries;
  Value* Find(const Value& key);
  Value* Find(std::string_view key);
  void Set(const Value& key, Value v);
  bool Erase(const Value& key);
};

struct CallArgs {
  std::vector<Value> pos;
  std::vector<std::pair<std::string, Value>> kw;
  // Positional i or keyword `name`; Undefined when absent. Marks the keyword as used.
  Value Get(size_t i, std::string_view name) const;
  bool Has(size_t i, std::string_view name) const;
};

// Python float repr (shortest round-trip, 'r' format rules: 1.0, 1e+20, 1e-05, inf, nan).
std::string PyFloatRepr(double d);
// Python repr of a str ('...' or "..." quoting as CPython chooses).
std::string PyStrRepr(std::string_view s);
// json.dumps(v, ensure_ascii=False, indent=indent, sort_keys=sort_keys) as transformers' tojson.
// indent < 0 means None. Returns false when v holds something JSON cannot express (Undefined,
// functions); *error names it.
bool PyJsonDumps(const Value& v, int indent, bool sort_keys, std::string* out, std::string* error);

}  // namespace winnow::jinja
