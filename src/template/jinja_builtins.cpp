// Jinja builtins: filters, tests, Python str / dict / list methods, and the globals of the
// transformers environment (range, namespace, dict, raise_exception, strftime_now).
//
// [SECTION] index: string helpers, methods, filters, tests, globals.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/utf8.h"
#include "template/jinja_interp.h"
#include "template/jinja_parser.h"
#include "template/unicode_tables.h"

namespace winnow::jinja {

// [SECTION] string helpers

static std::vector<char32_t> Cps(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out.push_back(DecodeUtf8(s, &i));
  return out;
}

std::string PyStrip(std::string_view s, std::string_view chars, bool left, bool right, bool default_ws) {
  std::vector<char32_t> set = Cps(chars);
  auto strip_me = [&](char32_t c) {
    if (default_ws) return uni::IsPySpace(c);
    return std::find(set.begin(), set.end(), c) != set.end();
  };
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e) {
      size_t j = b;
      char32_t c = DecodeUtf8(s, &j);
      if (!strip_me(c)) break;
      b = j;
    }
  }
  if (right) {
    while (e > b) {
      size_t k = e - 1;
      while (k > b && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
      size_t j = k;
      char32_t c = DecodeUtf8(s, &j);
      if (!strip_me(c)) break;
      e = k;
    }
  }
  return std::string(s.substr(b, e - b));
}

std::string PyLower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t c = DecodeUtf8(s, &i);
    uni::AppendLower(c, &out);
  }
  return out;
}

std::string PyUpper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) uni::AppendUpper(DecodeUtf8(s, &i), &out);
  return out;
}

// Python str.title(): a cased character after an uncased one starts a word.
static std::string PyTitle(std::string_view s) {
  std::string out;
  bool prev_cased = false;
  for (size_t i = 0; i < s.size();) {
    char32_t c = DecodeUtf8(s, &i);
    if (prev_cased) uni::AppendLower(c, &out);
    else uni::AppendUpper(c, &out);
    prev_cased = uni::IsCased(c);
  }
  return out;
}

static std::string PyCapitalize(std::string_view s) {
  std::string out;
  bool first = true;
  for (size_t i = 0; i < s.size();) {
    char32_t c = DecodeUtf8(s, &i);
    if (first) uni::AppendUpper(c, &out);
    else uni::AppendLower(c, &out);
    first = false;
  }
  return out;
}

static bool IsLineBreak(char32_t c) {
  return c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e || c == 0x85 || c == 0x2028 || c == 0x2029;
}

// Python str.splitlines(keepends=False).
static std::vector<std::string> PySplitLines(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i < s.size();) {
    size_t at = i;
    char32_t c = DecodeUtf8(s, &i);
    if (!IsLineBreak(c)) continue;
    out.emplace_back(s.substr(start, at - start));
    if (c == '\r' && i < s.size() && s[i] == '\n') ++i;
    start = i;
  }
  if (start < s.size()) out.emplace_back(s.substr(start));
  return out;
}

static std::vector<std::string> PySplit(std::string_view s, const Value& sep, int64_t maxsplit) {
  std::vector<std::string> out;
  if (sep.IsNone() || sep.IsUndefined()) {
    size_t i = 0;
    int64_t splits = 0;
    while (true) {
      while (i < s.size() && PySpaceAt(s, i)) i += PySpaceAt(s, i);
      if (i >= s.size()) break;
      if (maxsplit >= 0 && splits >= maxsplit) {
        std::string rest(s.substr(i));
        out.push_back(PyStrip(rest, "", false, true, true));
        break;
      }
      size_t j = i;
      while (j < s.size() && !PySpaceAt(s, j)) {
        size_t k = j;
        DecodeUtf8(s, &k);
        j = k;
      }
      out.emplace_back(s.substr(i, j - i));
      ++splits;
      i = j;
    }
    return out;
  }
  const std::string& d = sep.Str();
  size_t start = 0;
  int64_t splits = 0;
  while (maxsplit < 0 || splits < maxsplit) {
    size_t p = s.find(d, start);
    if (p == std::string_view::npos) break;
    out.emplace_back(s.substr(start, p - start));
    start = p + d.size();
    ++splits;
  }
  out.emplace_back(s.substr(start));
  return out;
}

static std::string PyReplace(std::string_view s, std::string_view old, std::string_view rep, int64_t count) {
  std::string out;
  if (old.empty()) {
    // Python inserts rep between every character (and at both ends).
    int64_t n = 0;
    size_t i = 0;
    if (count != 0) {
      out += rep;
      ++n;
    }
    while (i < s.size()) {
      size_t j = i;
      DecodeUtf8(s, &j);
      out.append(s.substr(i, j - i));
      i = j;
      if (count < 0 || n < count) {
        out += rep;
        ++n;
      }
    }
    return out;
  }
  size_t start = 0;
  int64_t n = 0;
  while (count < 0 || n < count) {
    size_t p = s.find(old, start);
    if (p == std::string_view::npos) break;
    out.append(s.substr(start, p - start));
    out.append(rep);
    start = p + old.size();
    ++n;
  }
  out.append(s.substr(start));
  return out;
}

static Value StrList(std::vector<std::string> parts) {
  ValueList items;
  items.reserve(parts.size());
  for (auto& p : parts) items.push_back(Value(std::move(p)));
  return Value::List(std::move(items));
}

// Python's str.format for the subset templates use: {} {0} {name} {name.attr} {name[key]},
// !r / !s, and specs [[fill]align][sign][width][.precision][type] with types s d f e g %.
static bool FormatSpec(Interp& in, const Value& v, std::string_view spec, std::string* out) {
  char fill = ' ', align = 0, sign = '-', type = 0;
  size_t i = 0;
  if (spec.size() >= 2 && (spec[1] == '<' || spec[1] == '>' || spec[1] == '^')) {
    fill = spec[0];
    align = spec[1];
    i = 2;
  } else if (!spec.empty() && (spec[0] == '<' || spec[0] == '>' || spec[0] == '^')) {
    align = spec[0];
    i = 1;
  }
  if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')) sign = spec[i++];
  if (i < spec.size() && spec[i] == '0' && !align) {
    fill = '0';
    align = '=';
    ++i;
  }
  size_t width = 0;
  while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') width = width * 10 + static_cast<size_t>(spec[i++] - '0');
  int precision = -1;
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    precision = 0;
    while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') precision = precision * 10 + (spec[i++] - '0');
  }
  if (i < spec.size()) type = spec[i++];
  if (i != spec.size()) {
    in.Fail("Invalid format specifier");
    return false;
  }
  std::string body;
  bool numeric = false;
  if (type == 'd') {
    if (!v.IsInt() && !v.IsBool()) {
      in.Fail("Unknown format code 'd' for object of type '" + v.TypeName() + "'");
      return false;
    }
    body = std::to_string(v.AsInt());
    numeric = true;
  } else if (type == 'f' || type == 'F' || type == 'e' || type == 'E' || type == '%' || (type == 'g' && v.IsNumber())) {
    if (!v.IsNumber()) {
      in.Fail(std::string("Unknown format code '") + type + "' for object of type '" + v.TypeName() + "'");
      return false;
    }
    double d = v.AsFloat();
    char buf[512];
    int p = precision < 0 ? 6 : std::min(precision, 100);
    if (type == '%') {
      std::snprintf(buf, sizeof buf, "%.*f%%", p, d * 100);
    } else {
      char f[8] = {'%', '.', '*', type, 0};
      std::snprintf(buf, sizeof buf, f, p, d);
    }
    body = buf;
    numeric = true;
  } else if (type == 0 || type == 's') {
    if (v.IsNumber() && type == 0) {
      body = v.ToStr();
      numeric = true;
      if (precision >= 0 && v.IsFloat()) {
        char buf[512];
        std::snprintf(buf, sizeof buf, "%.*g", std::min(precision, 100), v.AsFloat());
        body = buf;
      }
    } else {
      body = v.ToStr();
      if (precision >= 0) {
        std::vector<char32_t> cps = Cps(body);
        if (cps.size() > static_cast<size_t>(precision)) {
          std::string t;
          for (int k = 0; k < precision; ++k) AppendUtf8(cps[static_cast<size_t>(k)], &t);
          body = t;
        }
      }
    }
  } else {
    in.Fail(std::string("Unknown format code '") + type + "'");
    return false;
  }
  if (numeric && sign != '-' && !body.empty() && body[0] != '-') body.insert(body.begin(), sign);
  size_t len = static_cast<size_t>(Value(body).Length());
  if (width > len) {
    size_t pad = width - len;
    if (!align) align = numeric ? '>' : '<';
    if (align == '<') body.append(pad, fill);
    else if (align == '>') body.insert(0, pad, fill);
    else if (align == '^') {
      body.insert(0, pad / 2, fill);
      body.append(pad - pad / 2, fill);
    } else {
      size_t at = (!body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ')) ? 1 : 0;
      body.insert(at, pad, fill);
    }
  }
  *out += body;
  return true;
}

static Value PyFormat(Interp& in, const std::string& fmt, CallArgs& args) {
  std::string out;
  size_t auto_index = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      return in.Fail("Single '}' encountered in format string");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    size_t close = fmt.find('}', i);
    if (close == std::string::npos) return in.Fail("Single '{' encountered in format string");
    std::string field = fmt.substr(i + 1, close - i - 1);
    i = close;
    std::string spec, conv;
    size_t colon = field.find(':');
    if (colon != std::string::npos) {
      spec = field.substr(colon + 1);
      field.resize(colon);
    }
    size_t bang = field.find('!');
    if (bang != std::string::npos) {
      conv = field.substr(bang + 1);
      field.resize(bang);
    }
    size_t name_end = field.find_first_of(".[");
    std::string head = field.substr(0, name_end);
    Value v;
    if (head.empty()) {
      if (auto_index >= args.pos.size()) return in.Fail("Replacement index " + std::to_string(auto_index) + " out of range for positional args tuple");
      v = args.pos[auto_index++];
    } else if (head.find_first_not_of("0123456789") == std::string::npos) {
      size_t k = static_cast<size_t>(std::atoll(head.c_str()));
      if (k >= args.pos.size()) return in.Fail("Replacement index " + head + " out of range for positional args tuple");
      v = args.pos[k];
    } else {
      bool found = false;
      for (const auto& [k, kv] : args.kw) {
        if (k == head) {
          v = kv;
          found = true;
        }
      }
      if (!found) return in.Fail("KeyError: '" + head + "'");
    }
    while (name_end != std::string::npos && name_end < field.size()) {
      if (field[name_end] == '.') {
        size_t e = field.find_first_of(".[", name_end + 1);
        v = in.GetAttr(v, field.substr(name_end + 1, e == std::string::npos ? std::string::npos : e - name_end - 1));
        name_end = e;
      } else {
        size_t e = field.find(']', name_end);
        if (e == std::string::npos) return in.Fail("Missing ']' in format string");
        std::string key = field.substr(name_end + 1, e - name_end - 1);
        Value kv = key.find_first_not_of("0123456789") == std::string::npos && !key.empty() ? Value(static_cast<int64_t>(std::atoll(key.c_str()))) : Value(key);
        v = in.GetItem(v, kv);
        name_end = e + 1;
      }
      if (in.failed()) return Value();
    }
    if (conv == "r") v = Value(v.Repr());
    else if (conv == "s") v = Value(v.ToStr());
    if (!FormatSpec(in, v, spec, &out)) return Value();
  }
  return Value(std::move(out));
}

// [SECTION] methods

static Value ArgStr(Interp& in, const Value& v, const char* what) {
  if (!v.IsString()) return in.Fail(std::string(what) + " must be str, not " + v.TypeName());
  return v;
}

static Value StrMethod(Interp& in, const std::string& s, const std::string& name, CallArgs& a) {
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    Value chars = a.Get(0, "chars");
    bool ws = chars.IsNone() || chars.IsUndefined();
    if (!ws && !chars.IsString()) return in.Fail(name + " arg must be None or str");
    return Value(PyStrip(s, ws ? "" : chars.Str(), name != "rstrip", name != "lstrip", ws));
  }
  if (name == "split" || name == "rsplit") {
    Value sep = a.Get(0, "sep");
    Value mx = a.Get(1, "maxsplit");
    int64_t maxsplit = mx.IsNumber() ? mx.AsInt() : -1;
    if (!sep.IsNone() && !sep.IsUndefined()) {
      if (!sep.IsString()) return in.Fail("must be str or None, not " + sep.TypeName());
      if (sep.Str().empty()) return in.Fail("empty separator");
    }
    if (name == "rsplit" && maxsplit >= 0 && sep.IsString()) {
      std::vector<std::string> parts;
      std::string_view rest = s;
      int64_t n = 0;
      while (n < maxsplit) {
        size_t p = rest.rfind(sep.Str());
        if (p == std::string_view::npos) break;
        parts.emplace_back(rest.substr(p + sep.Str().size()));
        rest = rest.substr(0, p);
        ++n;
      }
      parts.emplace_back(rest);
      std::reverse(parts.begin(), parts.end());
      return StrList(std::move(parts));
    }
    return StrList(PySplit(s, sep, maxsplit));
  }
  if (name == "splitlines") return StrList(PySplitLines(s));
  if (name == "startswith" || name == "endswith") {
    Value p = a.Get(0, "prefix");
    std::vector<std::string> cands;
    if (p.IsString()) cands.push_back(p.Str());
    else if (p.IsTuple()) {
      for (const auto& e : p.Items()) {
        if (!e.IsString()) return in.Fail("tuple for " + name + " must only contain str, not " + e.TypeName());
        cands.push_back(e.Str());
      }
    } else {
      return in.Fail(name + " first arg must be str or a tuple of str, not " + p.TypeName());
    }
    for (const auto& c : cands) {
      bool hit = name == "startswith" ? s.compare(0, c.size(), c) == 0 && s.size() >= c.size()
                                      : s.size() >= c.size() && s.compare(s.size() - c.size(), c.size(), c) == 0;
      if (hit) return Value(true);
    }
    return Value(false);
  }
  if (name == "lower") return Value(PyLower(s));
  if (name == "upper") return Value(PyUpper(s));
  if (name == "title") return Value(PyTitle(s));
  if (name == "capitalize") return Value(PyCapitalize(s));
  if (name == "replace") {
    Value o = ArgStr(in, a.Get(0, "old"), "replace() argument 1");
    Value n = ArgStr(in, a.Get(1, "new"), "replace() argument 2");
    if (in.failed()) return Value();
    Value c = a.Get(2, "count");
    return Value(PyReplace(s, o.Str(), n.Str(), c.IsNumber() ? c.AsInt() : -1));
  }
  if (name == "format") return PyFormat(in, s, a);
  if (name == "join") {
    ValueList items;
    if (!in.Iterate(a.Get(0, "iterable"), &items)) return Value();
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!items[i].IsString()) return in.Fail("sequence item " + std::to_string(i) + ": expected str instance, " + items[i].TypeName() + " found");
      if (i) out += s;
      out += items[i].Str();
    }
    return Value(std::move(out));
  }
  if (name == "find" || name == "rfind" || name == "count" || name == "index" || name == "rindex") {
    Value sub = ArgStr(in, a.Get(0, "sub"), "argument");
    if (in.failed()) return Value();
    const std::string& t = sub.Str();
    if (name == "count") {
      if (t.empty()) return Value(Value(s).Length() + 1);
      int64_t n = 0;
      for (size_t p = s.find(t); p != std::string::npos; p = s.find(t, p + t.size())) ++n;
      return Value(n);
    }
    size_t p = (name == "find" || name == "index") ? s.find(t) : s.rfind(t);
    if (p == std::string::npos) {
      if (name == "index" || name == "rindex") return in.Fail("substring not found");
      return Value(int64_t{-1});
    }
    return Value(Value(s.substr(0, p)).Length());
  }
  if (name == "isdigit" || name == "isalpha" || name == "isalnum" || name == "isspace" || name == "isnumeric" || name == "isdecimal") {
    if (s.empty()) return Value(false);
    for (size_t i = 0; i < s.size();) {
      char32_t c = DecodeUtf8(s, &i);
      bool ok = name == "isspace" ? uni::IsPySpace(c)
                : name == "isalpha" ? uni::IsLetter(c)
                : name == "isalnum" ? (uni::IsLetter(c) || uni::IsNumber(c))
                : name == "isdecimal" ? uni::CategoryOf(c) == uni::Nd
                                      : uni::IsNumber(c);
      if (!ok) return Value(false);
    }
    return Value(true);
  }
  if (name == "islower" || name == "isupper") {
    bool any = false;
    for (size_t i = 0; i < s.size();) {
      char32_t c = DecodeUtf8(s, &i);
      std::string lo, up;
      uni::AppendLower(c, &lo);
      uni::AppendUpper(c, &up);
      std::string self;
      AppendUtf8(c, &self);
      if (lo != up) {
        any = true;
        if (name == "islower" && self != lo) return Value(false);
        if (name == "isupper" && self != up) return Value(false);
      }
    }
    return Value(any);
  }
  if (name == "removeprefix" || name == "removesuffix") {
    Value p = ArgStr(in, a.Get(0, "prefix"), "argument");
    if (in.failed()) return Value();
    const std::string& t = p.Str();
    if (name == "removeprefix" && s.compare(0, t.size(), t) == 0 && s.size() >= t.size()) return Value(s.substr(t.size()));
    if (name == "removesuffix" && !t.empty() && s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0) return Value(s.substr(0, s.size() - t.size()));
    return Value(s);
  }
  return in.Fail("'str' object has no attribute '" + name + "'");
}

static const char* kStrMethods[] = {"strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith",
                                    "lower", "upper", "title", "capitalize", "replace", "format", "join", "find", "rfind",
                                    "count", "index", "rindex", "isdigit", "isalpha", "isalnum", "isspace", "isnumeric",
                                    "isdecimal", "islower", "isupper", "removeprefix", "removesuffix"};
static const char* kDictMethods[] = {"get", "items", "keys", "values", "copy"};
static const char* kDictUnsafe[] = {"update", "pop", "popitem", "setdefault", "clear"};
static const char* kListMethods[] = {"index", "count", "copy"};
static const char* kListUnsafe[] = {"append", "extend", "insert", "pop", "remove", "reverse", "sort", "clear"};

template <size_t N>
static bool In(const char* (&names)[N], const std::string& n) {
  for (const char* x : names) {
    if (n == x) return true;
  }
  return false;
}

static Value DictItems(const Value& d) {
  ValueList items;
  for (const auto& [k, v] : d.DictRef().entries) items.push_back(Value::List({k, v}, true));
  return Value::List(std::move(items));
}

Value BoundMethod(Interp& in, const Value& obj, const std::string& name) {
  if (obj.IsString() && In(kStrMethods, name)) {
    Value self = obj;
    return Value::Function(name, [self, name](Interp& i, CallArgs& a) { return StrMethod(i, self.Str(), name, a); });
  }
  if (obj.IsDict() && !obj.IsNamespace()) {
    if (In(kDictUnsafe, name)) return Value::Undefined("access to attribute '" + name + "' of 'dict' object is unsafe.");
    if (!In(kDictMethods, name)) return Value();
    Value self = obj;
    return Value::Function(name, [self, name](Interp& i, CallArgs& a) -> Value {
      if (name == "get") {
        Value* v = self.DictRef().Find(a.Get(0, "key"));
        if (v) return *v;
        return a.Has(1, "default") ? a.Get(1, "default") : Value::None();
      }
      if (name == "items") return DictItems(self);
      if (name == "copy") {
        Value d = Value::Dict();
        d.DictRef().entries = self.DictRef().entries;
        return d;
      }
      ValueList out;
      for (const auto& [k, v] : self.DictRef().entries) out.push_back(name == "keys" ? k : v);
      return Value::List(std::move(out));
    });
  }
  if (obj.IsList()) {
    std::string tn = obj.IsTuple() ? "tuple" : "list";
    if (!obj.IsTuple() && In(kListUnsafe, name)) return Value::Undefined("access to attribute '" + name + "' of '" + tn + "' object is unsafe.");
    if (!In(kListMethods, name) || (obj.IsTuple() && name == "copy")) return Value();
    Value self = obj;
    return Value::Function(name, [self, name](Interp& i, CallArgs& a) -> Value {
      if (name == "copy") return Value::List(self.Items());
      Value x = a.Get(0, "value");
      int64_t n = 0;
      for (size_t k = 0; k < self.Items().size(); ++k) {
        if (self.Items()[k].Equals(x)) {
          if (name == "index") return Value(static_cast<int64_t>(k));
          ++n;
        }
      }
      if (name == "index") return i.Fail(x.Repr() + " is not in list");
      return Value(n);
    });
  }
  return Value();
}

// [SECTION] filters

static Value GetPath(Interp& in, const Value& v, const Value& attribute) {
  // Jinja's make_attrgetter: "a.b.0" walks attributes / items; integers index.
  if (attribute.IsNumber()) return in.GetItem(v, attribute);
  std::string path = attribute.ToStr();
  Value cur = v;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    bool digits = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
    cur = digits ? in.GetItem(cur, Value(static_cast<int64_t>(std::atoll(part.c_str())))) : in.GetItem(cur, Value(part));
    if (in.failed() || dot == std::string::npos) return cur;
    start = dot + 1;
  }
}

static Value ToNumber(const Value& v, bool want_float, const Value& dflt, int base) {
  if (v.IsNumber()) {
    if (want_float) return Value(v.AsFloat());
    if (v.IsFloat()) {
      double d = v.AsFloat();
      if (!std::isfinite(d)) return dflt;
      return Value(static_cast<int64_t>(std::trunc(d)));
    }
    return Value(v.AsInt());
  }
  if (!v.IsString()) return dflt;
  std::string s = PyStrip(v.Str(), "", true, true, true);
  std::string t;
  for (char c : s) {
    if (c != '_') t += c;
  }
  if (t.empty()) return dflt;
  char* end = nullptr;
  if (!want_float) {
    long long x = std::strtoll(t.c_str(), &end, base);
    if (end && *end == 0) return Value(static_cast<int64_t>(x));
    if (base != 10) return dflt;
  }
  std::string low = PyLower(t);
  if (low == "inf" || low == "+inf" || low == "infinity" || low == "-inf" || low == "-infinity" || low == "nan") {
    if (!want_float) return dflt;
  }
  double d = std::strtod(t.c_str(), &end);
  if (!end || *end != 0) return dflt;
  if (want_float) return Value(d);
  if (!std::isfinite(d)) return dflt;
  return Value(static_cast<int64_t>(std::trunc(d)));
}

static Value SortList(Interp& in, ValueList items, bool reverse, bool case_sensitive, const Value& attribute) {
  std::vector<std::pair<Value, Value>> keyed;
  for (auto& v : items) {
    Value k = attribute.IsUndefined() || attribute.IsNone() ? v : GetPath(in, v, attribute);
    if (in.failed()) return Value();
    keyed.emplace_back(k, v);
  }
  bool ok = true;
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& x, const auto& y) {
    if (!ok) return false;
    int c = reverse ? in.Compare(y.first, x.first, !case_sensitive) : in.Compare(x.first, y.first, !case_sensitive);
    if (in.failed()) ok = false;
    return c < 0;
  });
  if (in.failed()) return Value();
  ValueList out;
  for (auto& [k, v] : keyed) out.push_back(v);
  return Value::List(std::move(out));
}

static Value HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return Value(std::move(out));
}

static Value Len(Interp& in, const Value& v) {
  int64_t n = v.Length();
  if (n < 0) return in.Fail("object of type '" + v.TypeName() + "' has no len()");
  return Value(n);
}

static Value SelectReject(Interp& in, const Value& input, CallArgs& args, bool attr_mode, bool select) {
  ValueList items;
  if (!in.Iterate(input, &items)) return Value();
  size_t off = 0;
  Value attr;
  if (attr_mode) {
    attr = args.Get(0, "attribute");
    off = 1;
  }
  std::string test;
  if (args.pos.size() > off) test = args.pos[off].ToStr();
  CallArgs targs;
  for (size_t i = off + 1; i < args.pos.size(); ++i) targs.pos.push_back(args.pos[i]);
  ValueList out;
  for (const auto& item : items) {
    Value v = attr_mode ? GetPath(in, item, attr) : item;
    if (in.failed()) return Value();
    bool r = test.empty() ? v.Truthy() : ApplyTest(in, test, v, targs);
    if (in.failed()) return Value();
    if (r == select) out.push_back(item);
  }
  return Value::List(std::move(out));
}

static Value Indent(const std::string& s0, const Value& width, bool first, bool blank) {
  std::string ind = width.IsString() ? width.Str() : std::string(static_cast<size_t>(std::max<int64_t>(0, width.IsNumber() ? width.AsInt() : 4)), ' ');
  std::string s = s0 + "\n";
  std::vector<std::string> lines = PySplitLines(s);
  std::string rv;
  if (blank) {
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i) rv += "\n" + ind;
      rv += lines[i];
    }
  } else {
    rv = lines.empty() ? std::string() : lines[0];
    if (lines.size() > 1) {
      rv += "\n";
      for (size_t i = 1; i < lines.size(); ++i) {
        if (i > 1) rv += "\n";
        if (!lines[i].empty()) rv += ind;
        rv += lines[i];
      }
    }
  }
  if (first) rv = ind + rv;
  return Value(std::move(rv));
}

static double PyRound(double x, int64_t ndigits) {
  // CPython rounds the exact binary value half-to-even on the decimal digits; printf's %.*f does
  // the same exact conversion (glibc and musl alike).
  if (ndigits >= 0 && ndigits <= 300 && std::isfinite(x)) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(ndigits), x);
    return std::strtod(buf, nullptr);
  }
  double p = std::pow(10.0, static_cast<double>(ndigits));
  return std::nearbyint(x * p) / p;
}

Value ApplyFilter(Interp& in, const std::string& name, const Value& v, CallArgs& a) {
  if (name == "safe" || name == "string") return Value(v.ToStr());
  if (name == "trim") {
    Value chars = a.Get(0, "chars");
    bool ws = chars.IsNone() || chars.IsUndefined();
    return Value(PyStrip(v.ToStr(), ws ? "" : chars.ToStr(), true, true, ws));
  }
  if (name == "tojson") {
    Value ind = a.Get(0, "indent");
    Value sk = a.Get(1, "sort_keys");
    for (const auto& [k, kv] : a.kw) {
      if (k == "sort_keys") sk = kv;
      if (k == "separators" || k == "ensure_ascii") return in.Fail("tojson: '" + k + "' is not supported");
    }
    std::string out, err;
    if (!PyJsonDumps(v, ind.IsNumber() ? static_cast<int>(ind.AsInt()) : -1, sk.Truthy(), &out, &err)) return in.Fail(err);
    return Value(std::move(out));
  }
  if (name == "length" || name == "count") return Len(in, v);
  if (name == "upper") return Value(PyUpper(v.ToStr()));
  if (name == "lower") return Value(PyLower(v.ToStr()));
  if (name == "capitalize") return Value(PyCapitalize(v.ToStr()));
  if (name == "title") {
    // jinja2's do_title: words begin after '-', whitespace, '(', '{', '[' or '<'.
    std::string s = v.ToStr(), out;
    bool start = true;
    for (size_t i = 0; i < s.size();) {
      char32_t c = DecodeUtf8(s, &i);
      bool sep = c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || uni::IsPySpace(c);
      if (sep) {
        AppendUtf8(c, &out);
        start = true;
      } else if (start) {
        uni::AppendUpper(c, &out);
        start = false;
      } else {
        uni::AppendLower(c, &out);
      }
    }
    return Value(std::move(out));
  }
  if (name == "replace") {
    Value c = a.Get(2, "count");
    return Value(PyReplace(v.ToStr(), a.Get(0, "old").ToStr(), a.Get(1, "new").ToStr(), c.IsNumber() ? c.AsInt() : -1));
  }
  if (name == "join") {
    ValueList items;
    if (!in.Iterate(v, &items)) return Value();
    Value attr = a.Get(1, "attribute");
    std::string d = a.Get(0, "d").ToStr(), out;
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += d;
      Value x = attr.IsUndefined() || attr.IsNone() ? items[i] : GetPath(in, items[i], attr);
      if (in.failed()) return Value();
      out += x.ToStr();
    }
    return Value(std::move(out));
  }
  if (name == "default" || name == "d") {
    Value dflt = a.Has(0, "default_value") ? a.Get(0, "default_value") : Value(std::string());
    bool boolean = a.Get(1, "boolean").Truthy();
    if (v.IsUndefined() || (boolean && !v.Truthy())) return dflt;
    return v;
  }
  if (name == "items") {
    if (v.IsUndefined()) return Value::List();
    if (!v.IsDict() || v.IsNamespace()) return in.Fail("Can only get item pairs from a mapping.");
    return DictItems(v);
  }
  if (name == "list") {
    ValueList items;
    if (!in.Iterate(v, &items)) return Value();
    return Value::List(std::move(items));
  }
  if (name == "first" || name == "last") {
    ValueList items;
    if (!in.Iterate(v, &items)) return Value();
    if (items.empty()) return Value::Undefined(std::string("No ") + name + " item, sequence was empty.");
    return name == "first" ? items.front() : items.back();
  }
  if (name == "map") {
    ValueList items;
    if (!in.Iterate(v, &items)) return Value();
    ValueList out;
    Value attr = a.Get(99, "attribute");
    if (!attr.IsUndefined()) {
      Value dflt = a.Get(99, "default");
      for (const auto& item : items) {
        Value x = GetPath(in, item, attr);
        if (in.failed()) return Value();
        if (x.IsUndefined() && !dflt.IsUndefined()) x = dflt;
        out.push_back(x);
      }
      return Value::List(std::move(out));
    }
    if (a.pos.empty()) return Value::List(std::move(items));
    std::string f = a.pos[0].ToStr();
    CallArgs fa;
    fa.pos.assign(a.pos.begin() + 1, a.pos.end());
    fa.kw = a.kw;
    for (const auto& item : items) {
      out.push_back(ApplyFilter(in, f, item, fa));
      if (in.failed()) return Value();
    }
    return Value::List(std::move(out));
  }
  if (name == "select") return SelectReject(in, v, a, false, true);
  if (name == "reject") return SelectReject(in, v, a, false, false);
  if (name == "selectattr") return SelectReject(in, v, a, true, true);
  if (name == "rejectattr") return SelectReject(in, v, a, true, false);
  if (name == "unique") {
    ValueList items;
    if (!in.Iterate(v, &items)) return Value();
    bool cs = a.Get(0, "case_sensitive").Truthy();
    Value attr = a.Get(1, "attribute");
    std::vector<std::string> seen;
    ValueList out;
    for (const auto& item : items) {
      Value k = attr.IsUndefined() || attr.IsNone() ? item : GetPath(in, item, attr);
      if (in.failed()) return Value();
      if (!cs && k.IsString()) k = Value(PyLower(k.Str()));
      std::string key = k.Key();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      out.push_back(item);
    }
    return Value::List(std::move(out));
  }
  if (name == "indent") {
    return Indent(v.ToStr(), a.Has(0, "width") ? a.Get(0, "width") : Value(int64_t{4}), a.Get(1, "first").Truthy(), a.Get(2, "blank").Truthy());
  }
  if (name == "int") {
    Value dflt = a.Has(0, "default") ? a.Get(0, "default") : Value(int64_t{0});
    Value base = a.Get(1, "base");
    return ToNumber(v, false, dflt, base.IsNumber() ? static_cast<int>(base.AsInt()) : 10);
  }
  if (name == "float") return ToNumber(v, true, a.Has(0, "default") ? a.Get(0, "default") : Value(0.0), 10);
  if (name == "abs") {
    if (!v.IsNumber()) return in.Fail("bad operand type for abs(): '" + v.TypeName() + "'");
    return v.IsFloat() ? Value(std::fabs(v.AsFloat())) : Value(v.AsInt() < 0 ? -v.AsInt() : v.AsInt());
  }
  if (name == "round") {
    if (!v.IsNumber()) return in.Fail("type " + v.TypeName() + " doesn't define __round__ method");
    int64_t p = a.Get(0, "precision").IsNumber() ? a.Get(0, "precision").AsInt() : 0;
    std::string method = a.Has(1, "method") ? a.Get(1, "method").ToStr() : "common";
    if (method == "common") {
      if (!v.IsFloat()) return Value(v.AsInt());
      return Value(PyRound(v.AsFloat(), p));
    }
    double m = std::pow(10.0, static_cast<double>(p));
    if (method == "ceil") return Value(std::ceil(v.AsFloat() * m) / m);
    if (method == "floor") return Value(std::floor(v.AsFloat() * m) / m);
    return in.Fail("method must be common, ceil or floor");
  }
  if (name == "min" || name == "max" || name == "sort") {
    ValueList items;
    if (!in.Iterate(v, &items)) return Value();
    bool reverse = name == "sort" && a.Get(0, "reverse").Truthy();
    bool cs = a.Get(name == "sort" ? 1 : 0, "case_sensitive").Truthy();
    Value attr = a.Get(name == "sort" ? 2 : 1, "attribute");
    Value sorted = SortList(in, std::move(items), reverse, cs, attr);
    if (in.failed()) return Value();
    if (name == "sort") return sorted;
    if (sorted.Items().empty()) return Value::Undefined("No aggregated item, sequence was empty.");
    return name == "min" ? sorted.Items().front() : sorted.Items().back();
  }
  if (name == "sum") {
    ValueList items;
    if (!in.Iterate(v, &items)) return Value();
    Value attr = a.Get(0, "attribute");
    Value total = a.Has(1, "start") ? a.Get(1, "start") : Value(int64_t{0});
    for (const auto& item : items) {
      Value x = attr.IsUndefined() || attr.IsNone() ? item : GetPath(in, item, attr);
      if (in.failed()) return Value();
      if (!x.IsNumber() || !total.IsNumber()) return in.Fail("unsupported operand type(s) for +: '" + total.TypeName() + "' and '" + x.TypeName() + "'");
      total = (x.IsFloat() || total.IsFloat()) ? Value(total.AsFloat() + x.AsFloat()) : Value(total.AsInt() + x.AsInt());
    }
    return total;
  }
  if (name == "reverse") {
    if (v.IsString()) {
      std::vector<char32_t> cps = Cps(v.Str());
      std::string out;
      for (size_t i = cps.size(); i-- > 0;) AppendUtf8(cps[i], &out);
      return Value(std::move(out));
    }
    ValueList items;
    if (!in.Iterate(v, &items)) return Value();
    std::reverse(items.begin(), items.end());
    return Value::List(std::move(items));
  }
  if (name == "wordcount") {
    std::string s = v.ToStr();
    int64_t n = 0;
    bool in_word = false;
    for (size_t i = 0; i < s.size();) {
      char32_t c = DecodeUtf8(s, &i);
      bool w = c == '_' || uni::IsLetter(c) || uni::IsNumber(c) || uni::IsMark(c);
      if (w && !in_word) ++n;
      in_word = w;
    }
    return Value(n);
  }
  if (name == "batch") {
    ValueList items;
    if (!in.Iterate(v, &items)) return Value();
    int64_t size = a.Get(0, "linecount").IsNumber() ? a.Get(0, "linecount").AsInt() : 0;
    if (size <= 0) return in.Fail("batch size must be positive");
    Value fill = a.Get(1, "fill_with");
    ValueList out, cur;
    for (auto& item : items) {
      cur.push_back(item);
      if (static_cast<int64_t>(cur.size()) == size) {
        out.push_back(Value::List(std::move(cur)));
        cur.clear();
      }
    }
    if (!cur.empty()) {
      if (!fill.IsUndefined() && !fill.IsNone()) {
        while (static_cast<int64_t>(cur.size()) < size) cur.push_back(fill);
      }
      out.push_back(Value::List(std::move(cur)));
    }
    return Value::List(std::move(out));
  }
  if (name == "dictsort") {
    if (!v.IsDict() || v.IsNamespace()) return in.Fail("You can only sort by either \"key\" or \"value\"");
    bool cs = a.Get(0, "case_sensitive").Truthy();
    std::string by = a.Has(1, "by") ? a.Get(1, "by").ToStr() : "key";
    bool reverse = a.Get(2, "reverse").Truthy();
    if (by != "key" && by != "value") return in.Fail("You can only sort by either \"key\" or \"value\"");
    ValueList pairs = DictItems(v).Items();
    return SortList(in, std::move(pairs), reverse, cs, Value(int64_t{by == "key" ? 0 : 1}));
  }
  if (name == "escape" || name == "e" || name == "forceescape") return HtmlEscape(v.ToStr());
  if (name == "attr") return in.GetAttr(v, a.Get(0, "name").ToStr());
  if (name == "center") {
    std::string s = v.ToStr();
    int64_t w = a.Get(0, "width").IsNumber() ? a.Get(0, "width").AsInt() : 80;
    int64_t len = Value(s).Length();
    if (w <= len) return Value(s);
    int64_t pad = w - len;
    int64_t left = pad / 2 + (pad & w & 1);
    return Value(std::string(static_cast<size_t>(left), ' ') + s + std::string(static_cast<size_t>(pad - left), ' '));
  }
  if (name == "format") {
    std::string fmt = v.ToStr();
    return in.Fail("the format filter (printf-style) is not supported");
  }
  return in.Fail("No filter named '" + name + "'.");
}

// [SECTION] tests

static const char* kTests[] = {"defined", "undefined", "none", "boolean", "false", "true", "integer", "float", "number",
                               "string", "mapping", "iterable", "sequence", "callable", "sameas", "odd", "even",
                               "divisibleby", "lower", "upper", "escaped", "in", "eq", "equalto", "==", "ne", "!=",
                               "lt", "lessthan", "<", "le", "<=", "gt", "greaterthan", ">", "ge", ">=", "filter", "test"};

bool HasTest(const std::string& name) { return In(kTests, name); }

bool ApplyTest(Interp& in, const std::string& name, const Value& v, CallArgs& a) {
  if (name == "defined") return !v.IsUndefined();
  if (name == "undefined") return v.IsUndefined();
  if (name == "none") return v.IsNone();
  if (name == "boolean") return v.IsBool();
  if (name == "false") return v.IsBool() && !v.AsBool();
  if (name == "true") return v.IsBool() && v.AsBool();
  if (name == "integer") return v.IsInt();
  if (name == "float") return v.IsFloat();
  if (name == "number") return v.IsNumber();
  if (name == "string") return v.IsString();
  if (name == "mapping") return v.IsDict() && !v.IsNamespace();
  if (name == "iterable") return v.IsUndefined() || v.IsString() || v.IsList() || (v.IsDict() && !v.IsNamespace());
  if (name == "sequence") return v.IsUndefined() || v.IsString() || v.IsList() || (v.IsDict() && !v.IsNamespace());
  if (name == "callable") return v.IsFunction();
  if (name == "escaped") return false;
  if (name == "sameas") {
    Value o = a.Get(0, "other");
    if (v.Identity() || o.Identity()) return v.Identity() == o.Identity();
    if (v.type() != o.type()) return false;
    if (v.IsNone() || v.IsUndefined()) return true;
    if (v.IsBool()) return v.AsBool() == o.AsBool();
    if (v.IsInt()) return v.AsInt() == o.AsInt() && v.AsInt() >= -5 && v.AsInt() <= 256;  // CPython small ints
    if (v.IsString()) return v.Str() == o.Str();  // literals and short strings are interned
    return false;
  }
  if (name == "odd" || name == "even" || name == "divisibleby") {
    if (v.IsUndefined()) {
      in.Fail(v.UndefinedHint());
      return false;
    }
    if (!v.IsNumber()) {
      in.Fail("unsupported operand type(s) for %: '" + v.TypeName() + "' and 'int'");
      return false;
    }
    int64_t d = name == "divisibleby" ? a.Get(0, "num").AsInt() : 2;
    if (d == 0) {
      in.Fail("integer division or modulo by zero");
      return false;
    }
    int64_t r = ((v.AsInt() % d) + d) % d;
    return name == "odd" ? r == 1 : r == 0;
  }
  if (name == "lower" || name == "upper") {
    std::string s = v.ToStr();
    return name == "lower" ? PyLower(s) == s : PyUpper(s) == s;
  }
  if (name == "in") {
    Value c = a.Get(0, "seq");
    if (c.IsString()) return v.IsString() && c.Str().find(v.Str()) != std::string::npos;
    if (c.IsList()) {
      for (const auto& x : c.Items()) {
        if (x.Equals(v)) return true;
      }
      return false;
    }
    if (c.IsDict()) return c.DictRef().Find(v) != nullptr;
    in.Fail("argument of type '" + c.TypeName() + "' is not iterable");
    return false;
  }
  if (name == "eq" || name == "equalto" || name == "==") return v.Equals(a.Get(0, "other"));
  if (name == "ne" || name == "!=") return !v.Equals(a.Get(0, "other"));
  if (name == "lt" || name == "lessthan" || name == "<") return in.Compare(v, a.Get(0, "other")) < 0;
  if (name == "le" || name == "<=") return in.Compare(v, a.Get(0, "other")) <= 0;
  if (name == "gt" || name == "greaterthan" || name == ">") return in.Compare(v, a.Get(0, "other")) > 0;
  if (name == "ge" || name == ">=") return in.Compare(v, a.Get(0, "other")) >= 0;
  if (name == "test") return v.IsString() && HasTest(v.Str());
  if (name == "filter") return v.IsString();
  in.Fail("No test named '" + name + "'.");
  return false;
}

// [SECTION] globals

// Civil date from days since 1970-01-01 (Howard Hinnant's public-domain algorithm, re-derived).
static void CivilFromDays(int64_t z, int* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t yy = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int>(yy + (*m <= 2));
}

static std::string Strftime(const std::string& fmt, int64_t t) {
  static const char* kMon[] = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"};
  static const char* kDay[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  int y;
  unsigned mo, d;
  CivilFromDays(days, &y, &mo, &d);
  int wday = static_cast<int>(((days % 7) + 11) % 7);  // 1970-01-01 was a Thursday
  int hour = static_cast<int>(secs / 3600), minute = static_cast<int>(secs / 60 % 60), sec = static_cast<int>(secs % 60);
  static const int kCum[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int yday = kCum[mo - 1] + static_cast<int>(d) + (leap && mo > 2 ? 1 : 0);
  std::string out;
  char buf[64];
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%' || i + 1 >= fmt.size()) {
      out += fmt[i];
      continue;
    }
    char c = fmt[++i];
    switch (c) {
      case 'Y': std::snprintf(buf, sizeof buf, "%d", y); break;
      case 'y': std::snprintf(buf, sizeof buf, "%02d", y % 100); break;
      case 'm': std::snprintf(buf, sizeof buf, "%02u", mo); break;
      case 'd': std::snprintf(buf, sizeof buf, "%02u", d); break;
      case 'e': std::snprintf(buf, sizeof buf, "%2u", d); break;
      case '-': {
        // glibc's no-padding flag: %-d, %-m, %-H ...
        if (i + 1 >= fmt.size()) {
          std::snprintf(buf, sizeof buf, "%%-");
          break;
        }
        char f = fmt[++i];
        int val = f == 'd' ? static_cast<int>(d) : f == 'm' ? static_cast<int>(mo) : f == 'H' ? hour : f == 'M' ? minute : f == 'S' ? sec : f == 'I' ? (hour % 12 == 0 ? 12 : hour % 12) : f == 'j' ? yday : -1;
        if (val < 0) std::snprintf(buf, sizeof buf, "%%-%c", f);
        else std::snprintf(buf, sizeof buf, "%d", val);
        break;
      }
      case 'H': std::snprintf(buf, sizeof buf, "%02d", hour); break;
      case 'I': std::snprintf(buf, sizeof buf, "%02d", hour % 12 == 0 ? 12 : hour % 12); break;
      case 'M': std::snprintf(buf, sizeof buf, "%02d", minute); break;
      case 'S': std::snprintf(buf, sizeof buf, "%02d", sec); break;
      case 'p': std::snprintf(buf, sizeof buf, "%s", hour < 12 ? "AM" : "PM"); break;
      case 'j': std::snprintf(buf, sizeof buf, "%03d", yday); break;
      case 'B': std::snprintf(buf, sizeof buf, "%s", kMon[mo - 1]); break;
      case 'b':
      case 'h': std::snprintf(buf, sizeof buf, "%.3s", kMon[mo - 1]); break;
      case 'A': std::snprintf(buf, sizeof buf, "%s", kDay[wday]); break;
      case 'a': std::snprintf(buf, sizeof buf, "%.3s", kDay[wday]); break;
      case 'w': std::snprintf(buf, sizeof buf, "%d", wday); break;
      case 'F': std::snprintf(buf, sizeof buf, "%d-%02u-%02u", y, mo, d); break;
      case 'T': std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", hour, minute, sec); break;
      case 'Z': buf[0] = 0; out += "UTC"; break;
      case 'z': std::snprintf(buf, sizeof buf, "+0000"); break;
      case '%': std::snprintf(buf, sizeof buf, "%%"); break;
      default: std::snprintf(buf, sizeof buf, "%%%c", c);
    }
    out += buf;
  }
  return out;
}

void AddGlobals(Frame* f) {
  f->Set("range", Value::Function("range", [](Interp& in, CallArgs& a) -> Value {
    int64_t start = 0, stop = 0, step = 1;
    for (const auto& x : a.pos) {
      if (!x.IsInt() && !x.IsBool()) return in.Fail("'" + x.TypeName() + "' object cannot be interpreted as an integer");
    }
    if (a.pos.size() == 1) {
      stop = a.pos[0].AsInt();
    } else if (a.pos.size() >= 2) {
      start = a.pos[0].AsInt();
      stop = a.pos[1].AsInt();
      if (a.pos.size() >= 3) step = a.pos[2].AsInt();
    } else {
      return in.Fail("range expected at least 1 argument, got 0");
    }
    if (step == 0) return in.Fail("range() arg 3 must not be zero");
    int64_t n = step > 0 ? (stop > start ? (stop - start + step - 1) / step : 0) : (start > stop ? (start - stop - step - 1) / -step : 0);
    if (n > 100000) return in.Fail("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
    ValueList items;
    items.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) items.push_back(Value(start + i * step));
    return Value::List(std::move(items));
  }));
  auto make_dict = [](bool ns) {
    return [ns](Interp& in, CallArgs& a) -> Value {
      Value d = ns ? Value::Namespace() : Value::Dict();
      for (const auto& p : a.pos) {
        if (!p.IsDict()) return in.Fail("cannot convert '" + p.TypeName() + "' to a mapping");
        for (const auto& [k, v] : p.DictRef().entries) d.DictRef().Set(k, v);
      }
      for (const auto& [k, v] : a.kw) d.DictRef().Set(Value(k), v);
      return d;
    };
  };
  f->Set("namespace", Value::Function("namespace", make_dict(true)));
  f->Set("dict", Value::Function("dict", make_dict(false)));
  f->Set("raise_exception", Value::Function("raise_exception", [](Interp& in, CallArgs& a) -> Value {
    return in.Fail(a.Get(0, "message").ToStr(), "template_raise");
  }));
  f->Set("strftime_now", Value::Function("strftime_now", [](Interp& in, CallArgs& a) -> Value {
    int64_t t = in.options().now_unix_seconds;
    if (t < 0) t = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return Value(Strftime(a.Get(0, "format").ToStr(), t));
  }));
}

}  // namespace winnow::jinja
