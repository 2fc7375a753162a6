// Value model and CPython-compatible formatting (str, repr, float repr, json.dumps).
#include "template/jinja_value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/utf8.h"
#include "template/unicode_tables.h"

namespace winnow::jinja {

const std::string& Value::EmptyString() {
  static const std::string empty;
  return empty;
}

Value Value::Undefined(std::string hint) {
  Value v;
  if (!hint.empty()) v.m_s = std::make_shared<const std::string>(std::move(hint));
  return v;
}
Value Value::None() {
  Value v;
  v.m_type = Type::None;
  return v;
}
Value::Value(bool b) : m_type(Type::Bool), m_b(b) {}
Value::Value(int64_t v) : m_type(Type::Int), m_i(v) {}
Value::Value(double v) : m_type(Type::Float), m_f(v) {}
Value::Value(std::string s) : m_type(Type::String), m_s(std::make_shared<const std::string>(std::move(s))) {}

Value Value::List(ValueList items, bool tuple) {
  Value v;
  v.m_type = Type::List;
  v.m_tuple = tuple;
  v.m_list = std::make_shared<ValueList>(std::move(items));
  return v;
}
Value Value::Dict() {
  Value v;
  v.m_type = Type::Dict;
  v.m_dict = std::make_shared<ValueDict>();
  return v;
}
Value Value::Namespace() {
  Value v = Dict();
  v.m_namespace = true;
  return v;
}
Value Value::Function(std::string name, NativeFn fn) {
  Value v;
  v.m_type = Type::Function;
  v.m_s = std::make_shared<const std::string>(std::move(name));
  v.m_fn = std::make_shared<NativeFn>(std::move(fn));
  return v;
}

Value Value::FromJson(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::null: return None();
    case nlohmann::ordered_json::value_t::boolean: return Value(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return Value(j.get<int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return Value(static_cast<double>(u));
      return Value(static_cast<int64_t>(u));
    }
    case nlohmann::ordered_json::value_t::number_float: return Value(j.get<double>());
    case nlohmann::ordered_json::value_t::string: return Value(j.get<std::string>());
    case nlohmann::ordered_json::value_t::array: {
      ValueList items;
      items.reserve(j.size());
      for (const auto& e : j) items.push_back(FromJson(e));
      return List(std::move(items));
    }
    case nlohmann::ordered_json::value_t::object: {
      Value d = Dict();
      for (auto it = j.begin(); it != j.end(); ++it) d.DictRef().entries.emplace_back(Value(it.key()), FromJson(it.value()));
      return d;
    }
    default: return Undefined();
  }
}

const void* Value::Identity() const {
  if (m_list) return m_list.get();
  if (m_dict) return m_dict.get();
  if (m_fn) return m_fn.get();
  return nullptr;
}

bool Value::Truthy() const {
  switch (m_type) {
    case Type::Undefined:
    case Type::None: return false;
    case Type::Bool: return m_b;
    case Type::Int: return m_i != 0;
    case Type::Float: return m_f != 0.0;
    case Type::String: return !m_s->empty();
    case Type::List: return !m_list->empty();
    case Type::Dict: return m_namespace || !m_dict->entries.empty();
    case Type::Function: return true;
  }
  return false;
}

std::string Value::ToStr() const {
  switch (m_type) {
    case Type::Undefined: return {};
    case Type::String: return *m_s;
    default: return Repr();
  }
}

std::string Value::Repr() const {
  switch (m_type) {
    case Type::Undefined: return {};
    case Type::None: return "None";
    case Type::Bool: return m_b ? "True" : "False";
    case Type::Int: return std::to_string(m_i);
    case Type::Float: return PyFloatRepr(m_f);
    case Type::String: return PyStrRepr(*m_s);
    case Type::List: {
      std::string out(m_tuple ? "(" : "[");
      for (size_t i = 0; i < m_list->size(); ++i) {
        if (i) out += ", ";
        out += (*m_list)[i].Repr();
      }
      if (m_tuple && m_list->size() == 1) out += ",";
      out += m_tuple ? ")" : "]";
      return out;
    }
    case Type::Dict: {
      std::string out(m_namespace ? "<Namespace {" : "{");
      bool first = true;
      for (const auto& [k, v] : m_dict->entries) {
        if (!first) out += ", ";
        first = false;
        out += k.Repr();
        out += ": ";
        out += v.Repr();
      }
      out += m_namespace ? "}>" : "}";
      return out;
    }
    case Type::Function: return "<function " + FunctionName() + ">";
  }
  return {};
}

bool Value::Equals(const Value& o) const {
  if (IsNumber() && o.IsNumber()) {
    if (m_type == Type::Float || o.m_type == Type::Float) return AsFloat() == o.AsFloat();
    return AsInt() == o.AsInt();
  }
  if (m_type != o.m_type) return false;
  switch (m_type) {
    case Type::Undefined:
    case Type::None: return true;
    case Type::String: return *m_s == *o.m_s;
    case Type::List: {
      if (m_tuple != o.m_tuple || m_list->size() != o.m_list->size()) return false;
      for (size_t i = 0; i < m_list->size(); ++i) {
        if (!(*m_list)[i].Equals((*o.m_list)[i])) return false;
      }
      return true;
    }
    case Type::Dict: {
      if (m_namespace || o.m_namespace) return m_dict == o.m_dict;
      if (m_dict->entries.size() != o.m_dict->entries.size()) return false;
      for (const auto& [k, v] : m_dict->entries) {
        Value* ov = o.m_dict->Find(k);
        if (!ov || !v.Equals(*ov)) return false;
      }
      return true;
    }
    case Type::Function: return m_fn == o.m_fn;
    default: return false;
  }
}

std::string Value::Key() const {
  switch (m_type) {
    case Type::None: return "n";
    case Type::Bool:
    case Type::Int: return "i" + std::to_string(AsInt());
    case Type::Float: {
      double f = m_f;
      if (std::floor(f) == f && std::fabs(f) < 9.2e18) return "i" + std::to_string(static_cast<int64_t>(f));
      return "f" + PyFloatRepr(f);
    }
    case Type::String: return "s" + *m_s;
    case Type::List: {
      std::string k = "t(";
      for (const auto& e : *m_list) k += e.Key() + ",";
      return k + ")";
    }
    default: return "p" + std::to_string(reinterpret_cast<uintptr_t>(Identity()));
  }
}

int64_t Value::Length() const {
  switch (m_type) {
    case Type::Undefined: return 0;
    case Type::String: {
      int64_t n = 0;
      for (unsigned char c : *m_s) n += (c & 0xC0) != 0x80;
      return n;
    }
    case Type::List: return static_cast<int64_t>(m_list->size());
    case Type::Dict: return m_namespace ? -1 : static_cast<int64_t>(m_dict->entries.size());
    default: return -1;
  }
}

std::string Value::TypeName() const {
  switch (m_type) {
    case Type::Undefined: return "Undefined";
    case Type::None: return "NoneType";
    case Type::Bool: return "bool";
    case Type::Int: return "int";
    case Type::Float: return "float";
    case Type::String: return "str";
    case Type::List: return m_tuple ? "tuple" : "list";
    case Type::Dict: return m_namespace ? "Namespace" : "dict";
    case Type::Function: return "function";
  }
  return "object";
}

Value* ValueDict::Find(const Value& key) {
  for (auto& [k, v] : entries) {
    if (k.Equals(key)) return &v;
  }
  return nullptr;
}
Value* ValueDict::Find(std::string_view key) {
  for (auto& [k, v] : entries) {
    if (k.IsString() && k.Str() == key) return &v;
  }
  return nullptr;
}
void ValueDict::Set(const Value& key, Value v) {
  if (Value* e = Find(key)) {
    *e = std::move(v);
    return;
  }
  entries.emplace_back(key, std::move(v));
}
bool ValueDict::Erase(const Value& key) {
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->first.Equals(key)) {
      entries.erase(it);
      return true;
    }
  }
  return false;
}

Value CallArgs::Get(size_t i, std::string_view name) const {
  if (i < pos.size()) return pos[i];
  for (const auto& [k, v] : kw) {
    if (k == name) return v;
  }
  return Value();
}
bool CallArgs::Has(size_t i, std::string_view name) const {
  if (i < pos.size()) return true;
  for (const auto& [k, v] : kw) {
    if (k == name) return true;
  }
  return false;
}

// [SECTION] CPython formatting

std::string PyFloatRepr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // Shortest round-trip digits: the fewest significant digits whose correctly rounded decimal
  // parses back to d (what CPython's repr produces). libc++ 14 (emscripten) lacks floating-point
  // to_chars, so search with printf, which rounds correctly on glibc and musl alike.
  char buf[64];
  for (int prec = 0; prec <= 16; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string s(buf);
  bool neg = s[0] == '-';
  if (neg) s.erase(0, 1);
  size_t e = s.find('e');
  int exp = std::atoi(s.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (s[i] != '.') digits += s[i];
  }
  std::string out = neg ? "-" : "";
  int n = static_cast<int>(digits.size());
  if (exp < -4 || exp >= 16) {
    out += digits[0];
    if (n > 1) {
      out += '.';
      out += digits.substr(1);
    }
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += eb;
  } else if (exp < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp - 1), '0');
    out += digits;
  } else if (exp + 1 >= n) {
    out += digits;
    out.append(static_cast<size_t>(exp + 1 - n), '0');
    out += ".0";
  } else {
    out += digits.substr(0, static_cast<size_t>(exp + 1));
    out += '.';
    out += digits.substr(static_cast<size_t>(exp + 1));
  }
  return out;
}

std::string PyStrRepr(std::string_view s) {
  bool has_sq = s.find('\'') != std::string_view::npos;
  bool has_dq = s.find('"') != std::string_view::npos;
  char q = (has_sq && !has_dq) ? '"' : '\'';
  std::string out(1, q);
  for (size_t i = 0; i < s.size();) {
    size_t start = i;
    char32_t cp = DecodeUtf8(s, &i);
    char buf[16];
    if (cp == static_cast<char32_t>(q) || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (uni::IsPyPrintable(cp)) {
      out.append(s.substr(start, i - start));
    } else if (cp < 0x100) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
      out += buf;
    } else if (cp < 0x10000) {
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
      out += buf;
    }
  }
  out += q;
  return out;
}

static void JsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\r': *out += "\\r"; break;
      case '\t': *out += "\\t"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          *out += buf;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

static bool JsonKey(const Value& k, std::string* out, std::string* error) {
  switch (k.type()) {
    case Value::Type::String: JsonString(k.Str(), out); return true;
    case Value::Type::None: *out += "\"null\""; return true;
    case Value::Type::Bool: *out += k.AsBool() ? "\"true\"" : "\"false\""; return true;
    case Value::Type::Int: *out += "\"" + std::to_string(k.AsInt()) + "\""; return true;
    case Value::Type::Float: *out += "\"" + PyFloatRepr(k.AsFloat()) + "\""; return true;
    default: *error = "keys must be str, int, float, bool or None, not " + k.TypeName(); return false;
  }
}

static bool JsonDump(const Value& v, int indent, bool sort_keys, int depth, std::string* out, std::string* error) {
  if (depth > 500) {
    *error = "maximum recursion depth exceeded while encoding a JSON object";
    return false;
  }
  auto newline = [&](int d) {
    out->push_back('\n');
    out->append(static_cast<size_t>(indent) * static_cast<size_t>(d), ' ');
  };
  const char* item_sep = indent >= 0 ? "," : ", ";
  switch (v.type()) {
    case Value::Type::None: *out += "null"; return true;
    case Value::Type::Bool: *out += v.AsBool() ? "true" : "false"; return true;
    case Value::Type::Int: *out += std::to_string(v.AsInt()); return true;
    case Value::Type::Float: {
      double f = v.AsFloat();
      if (std::isnan(f)) *out += "NaN";
      else if (std::isinf(f)) *out += f > 0 ? "Infinity" : "-Infinity";
      else *out += PyFloatRepr(f);
      return true;
    }
    case Value::Type::String: JsonString(v.Str(), out); return true;
    case Value::Type::List: {
      const ValueList& items = v.Items();
      if (items.empty()) {
        *out += "[]";
        return true;
      }
      out->push_back('[');
      for (size_t i = 0; i < items.size(); ++i) {
        if (i) *out += item_sep;
        if (indent >= 0) newline(depth + 1);
        if (!JsonDump(items[i], indent, sort_keys, depth + 1, out, error)) return false;
      }
      if (indent >= 0) newline(depth);
      out->push_back(']');
      return true;
    }
    case Value::Type::Dict: {
      if (v.IsNamespace()) break;
      std::vector<const std::pair<Value, Value>*> entries;
      for (const auto& e : v.DictRef().entries) entries.push_back(&e);
      if (entries.empty()) {
        *out += "{}";
        return true;
      }
      if (sort_keys) {
        std::stable_sort(entries.begin(), entries.end(), [](auto* a, auto* b) { return a->first.ToStr() < b->first.ToStr(); });
      }
      out->push_back('{');
      for (size_t i = 0; i < entries.size(); ++i) {
        if (i) *out += item_sep;
        if (indent >= 0) newline(depth + 1);
        if (!JsonKey(entries[i]->first, out, error)) return false;
        *out += ": ";
        if (!JsonDump(entries[i]->second, indent, sort_keys, depth + 1, out, error)) return false;
      }
      if (indent >= 0) newline(depth);
      out->push_back('}');
      return true;
    }
    default: break;
  }
  *error = "Object of type " + v.TypeName() + " is not JSON serializable";
  return false;
}

bool PyJsonDumps(const Value& v, int indent, bool sort_keys, std::string* out, std::string* error) {
  return JsonDump(v, indent, sort_keys, 0, out, error);
}

}  // namespace winnow::jinja
