#include "synth/json_reply.h"

namespace winnow::synth {

using nlohmann::json;

std::string JsonShape::Describe() const {
  std::string s = "{";
  for (size_t i = 0; i < fields.size(); ++i) {
    s += (i ? ", \"" : "\"") + fields[i].key + "\": " + fields[i].type;
  }
  s += "}";
  return array_of ? "[" + s + ", ...]" : s;
}

namespace {

// The span of the first balanced JSON object / array starting at or after `from`; when the text
// ends inside it, the missing closers are appended (a reply cut by max_tokens keeps what it has).
std::string BalancedFrom(std::string_view t, size_t from) {
  std::string stack;
  bool in_str = false, esc = false;
  for (size_t i = from; i < t.size(); ++i) {
    char c = t[i];
    if (in_str) {
      if (esc) esc = false;
      else if (c == '\\') esc = true;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') in_str = true;
    else if (c == '{') stack.push_back('}');
    else if (c == '[') stack.push_back(']');
    else if ((c == '}' || c == ']') && !stack.empty()) {
      stack.pop_back();
      if (stack.empty()) return std::string(t.substr(from, i + 1 - from));
    }
  }
  std::string out(t.substr(from));
  if (in_str) out.push_back('"');
  while (!stack.empty()) {
    out.push_back(stack.back());
    stack.pop_back();
  }
  return out;
}

std::string_view Unfence(std::string_view t) {
  size_t f = t.find("```");
  if (f == std::string_view::npos) return t;
  size_t nl = t.find('\n', f);
  if (nl == std::string_view::npos) return t;
  size_t end = t.find("```", nl + 1);
  return t.substr(nl + 1, end == std::string_view::npos ? std::string_view::npos : end - nl - 1);
}

std::string Repair(std::string s) {
  // Typographic quotes used as JSON quotes.
  for (const char* q : {"\xE2\x80\x9C", "\xE2\x80\x9D"}) {
    for (size_t p; (p = s.find(q)) != std::string::npos;) s.replace(p, 3, "\"");
  }
  // Trailing commas before a closer, outside strings.
  std::string out;
  out.reserve(s.size());
  bool in_str = false, esc = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_str) {
      out.push_back(c);
      if (esc) esc = false;
      else if (c == '\\') esc = true;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') in_str = true;
    if (c == '}' || c == ']') {
      size_t k = out.size();
      while (k > 0 && (out[k - 1] == ' ' || out[k - 1] == '\n' || out[k - 1] == '\r' || out[k - 1] == '\t')) --k;
      if (k > 0 && out[k - 1] == ',') out.erase(k - 1, 1);
    }
    out.push_back(c);
  }
  return out;
}

bool TypeOk(const json& v, const std::string& type) {
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer() || (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<int64_t>(v.get<double>())));
  if (type == "number") return v.is_number();
  if (type == "array") return v.is_array();
  if (type == "object") return v.is_object();
  return true;
}

std::string CheckObject(const json& v, const JsonShape& shape, const std::string& where) {
  if (!v.is_object()) return where + " is not an object";
  for (const auto& f : shape.fields) {
    auto it = v.find(f.key);
    if (it == v.end()) return where + " lacks the key \"" + f.key + "\"";
    if (!TypeOk(*it, f.type)) return where + "\"" + f.key + "\" is not of type " + f.type;
    if (f.type == "string" && it->get<std::string>().empty()) return where + "\"" + f.key + "\" is empty";
  }
  return {};
}

}  // namespace

std::string ExtractJsonText(std::string_view text) {
  std::string_view t = Unfence(text);
  size_t o = t.find('{'), a = t.find('[');
  size_t from = std::min(o, a);
  if (from == std::string_view::npos) return std::string(t);
  return Repair(BalancedFrom(t, from));
}

Result<json> ParseJsonReply(std::string_view text, const JsonShape& shape) {
  json v = json::parse(text, nullptr, false);
  if (v.is_discarded()) v = json::parse(ExtractJsonText(text), nullptr, false);
  if (v.is_discarded()) return Error{"bad_json", "the reply is not valid JSON"};
  // A lone object where a list was asked for counts as a list of one; a list holding the single
  // object that was asked for counts as that object.
  if (shape.array_of && v.is_object()) {
    bool wrapper = false;
    for (auto& [k, inner] : v.items()) {
      if (inner.is_array() && v.size() == 1) {
        v = inner;
        wrapper = true;
        break;
      }
    }
    if (!wrapper) v = json::array({v});
  }
  if (!shape.array_of && v.is_array() && v.size() == 1) v = v[0];
  if (shape.empty()) return v;
  std::string problem;
  if (shape.array_of) {
    if (!v.is_array()) problem = "the reply is not a JSON array";
    else if (v.size() < shape.min_items) problem = "the array has " + std::to_string(v.size()) + " items, expected at least " + std::to_string(shape.min_items);
    for (size_t i = 0; problem.empty() && i < v.size(); ++i) problem = CheckObject(v[i], shape, "item " + std::to_string(i) + " ");
  } else {
    problem = CheckObject(v, shape, "the object ");
  }
  if (!problem.empty()) return Error{"wrong_schema", problem + "; expected " + shape.Describe()};
  return v;
}

}  // namespace winnow::synth
