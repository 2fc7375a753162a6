#include "io/source_patch.h"

#include <map>
#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "io/writer.h"

namespace winnow {

// [SECTION] scanner
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ReadHex4(std::string_view s, size_t i, uint32_t* out) {
  if (i + 4 > s.size()) return false;
  uint32_t v = 0;
  for (size_t k = 0; k < 4; ++k) {
    int d = HexDigit(s[i + k]);
    if (d < 0) return false;
    v = v * 16 + uint32_t(d);
  }
  *out = v;
  return true;
}

// Unescapes the string literal starting at s[i] == '"'; *end is one past its closing quote.
bool ScanString(std::string_view s, size_t i, size_t* end, std::string* value) {
  value->clear();
  ++i;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      *end = i + 1;
      return true;
    }
    if (c < 0x20) return false;
    if (c != '\\') {
      size_t j = i;
      while (j < s.size() && s[j] != '"' && s[j] != '\\' && static_cast<unsigned char>(s[j]) >= 0x20) ++j;
      value->append(s.data() + i, j - i);
      i = j;
      continue;
    }
    if (i + 1 >= s.size()) return false;
    char e = s[i + 1];
    i += 2;
    switch (e) {
      case '"': value->push_back('"'); break;
      case '\\': value->push_back('\\'); break;
      case '/': value->push_back('/'); break;
      case 'b': value->push_back('\b'); break;
      case 'f': value->push_back('\f'); break;
      case 'n': value->push_back('\n'); break;
      case 'r': value->push_back('\r'); break;
      case 't': value->push_back('\t'); break;
      case 'u': {
        uint32_t cp;
        if (!ReadHex4(s, i, &cp)) return false;
        i += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (i + 2 > s.size() || s[i] != '\\' || s[i + 1] != 'u' || !ReadHex4(s, i + 2, &lo)) return false;
          if (lo < 0xDC00 || lo > 0xDFFF) return false;
          i += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        AppendUtf8(static_cast<char32_t>(cp), value);
        break;
      }
      default: return false;
    }
  }
  return false;
}

}  // namespace

bool ScanJsonStrings(std::string_view s, std::vector<JsonStringToken>* out) {
  out->clear();
  std::vector<char> stack;  // '{' or '['
  bool expect_key = false;
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    switch (c) {
      case '"': {
        JsonStringToken t;
        t.begin = i;
        t.is_key = expect_key;
        if (!ScanString(s, i, &t.end, &t.value)) return false;
        i = t.end;
        expect_key = false;
        out->push_back(std::move(t));
        continue;
      }
      case '{': stack.push_back('{'); expect_key = true; break;
      case '[': stack.push_back('['); expect_key = false; break;
      case '}':
      case ']':
        if (stack.empty() || stack.back() != (c == '}' ? '{' : '[')) return false;
        stack.pop_back();
        expect_key = false;
        break;
      case ',': expect_key = !stack.empty() && stack.back() == '{'; break;
      case ':': expect_key = false; break;
      case ' ': case '\t': case '\n': case '\r': break;
      default:
        // Numbers and literals (true / false / null): their bytes are never patched.
        if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z'))) {
          return false;
        }
    }
    ++i;
  }
  return stack.empty();
}

// [SECTION] patcher
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The one changed middle of before -> after (common prefix and suffix removed, on character
// boundaries).
void ChangedMiddle(const std::string& before, const std::string& after, std::string* old_mid, std::string* new_mid) {
  size_t n = std::min(before.size(), after.size());
  size_t p = 0;
  while (p < n && before[p] == after[p]) ++p;
  while (p > 0 && p < before.size() && IsContinuation(before[p])) --p;
  size_t s = 0;
  while (s < n - p && before[before.size() - 1 - s] == after[after.size() - 1 - s]) ++s;
  while (s > 0 && IsContinuation(before[before.size() - s])) --s;
  *old_mid = before.substr(p, before.size() - p - s);
  *new_mid = after.substr(p, after.size() - p - s);
}

}  // namespace

bool PatchJsonStrings(std::string_view json, const std::vector<StringEdit>& edits, std::string* out) {
  std::vector<JsonStringToken> tokens;
  if (!ScanJsonStrings(json, &tokens)) return false;
  // before -> (after, number of edits)
  std::map<std::string, std::pair<std::string, size_t>> groups;
  for (const StringEdit& e : edits) {
    auto [it, fresh] = groups.try_emplace(e.before, e.after, 0);
    if (!fresh && it->second.first != e.after) return false;  // one value, two treatments
    ++it->second.second;
  }
  std::vector<std::string> value(tokens.size());
  std::vector<uint8_t> whole(tokens.size(), 0);
  for (size_t t = 0; t < tokens.size(); ++t) value[t] = tokens[t].value;
  std::vector<const std::pair<const std::string, std::pair<std::string, size_t>>*> middles;
  for (const auto& g : groups) {
    size_t found = 0;
    for (size_t t = 0; t < tokens.size(); ++t) {
      if (!tokens[t].is_key && tokens[t].value == g.first) ++found;
    }
    if (found == 0) {
      if (g.second.second != 1) return false;
      middles.push_back(&g);
      continue;
    }
    if (found != g.second.second) return false;
    for (size_t t = 0; t < tokens.size(); ++t) {
      if (!tokens[t].is_key && tokens[t].value == g.first) {
        value[t] = g.second.first;
        whole[t] = 1;
      }
    }
  }
  // Values that are no whole token (e.g. a sharegpt function_call value holds the call's JSON, of
  // which the row keeps only the arguments): the changed middle, found exactly once.
  for (const auto* g : middles) {
    std::string old_mid, new_mid;
    ChangedMiddle(g->first, g->second.first, &old_mid, &new_mid);
    if (old_mid.empty()) return false;
    size_t hits = 0, at_token = 0, at_pos = 0;
    for (size_t t = 0; t < tokens.size() && hits < 2; ++t) {
      if (tokens[t].is_key || whole[t]) continue;
      for (size_t p = value[t].find(old_mid); p != std::string::npos && hits < 2; p = value[t].find(old_mid, p + 1)) {
        ++hits;
        at_token = t;
        at_pos = p;
      }
    }
    if (hits != 1) return false;
    value[at_token].replace(at_pos, old_mid.size(), new_mid);
  }
  std::string patched;
  patched.reserve(json.size() + 64);
  size_t pos = 0;
  for (size_t t = 0; t < tokens.size(); ++t) {
    if (value[t] == tokens[t].value) continue;
    patched.append(json.data() + pos, tokens[t].begin - pos);
    AppendJsonString(value[t], &patched);
    pos = tokens[t].end;
  }
  patched.append(json.data() + pos, json.size() - pos);
  out->append(patched);
  return true;
}

// [SECTION] row diff
namespace {

using ojson = nlohmann::ordered_json;

bool DiffJsonValues(const ojson& a, const ojson& b, std::vector<StringEdit>* edits) {
  if (a.type() != b.type()) return false;
  if (a.is_string()) {
    if (a.get_ref<const std::string&>() != b.get_ref<const std::string&>()) {
      edits->push_back({a.get<std::string>(), b.get<std::string>()});
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
      if (ia.key() != ib.key() || !DiffJsonValues(ia.value(), ib.value(), edits)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!DiffJsonValues(a[i], b[i], edits)) return false;
    }
    return true;
  }
  return a == b;
}

// Two JSON texts (tool_calls, tools, meta, extra) of the same structure: their string leaves.
bool DiffJsonText(const std::string& a, const std::string& b, std::vector<StringEdit>* edits) {
  if (a == b) return true;
  if (a.empty() || b.empty()) return false;
  ojson ja = ojson::parse(a, nullptr, false), jb = ojson::parse(b, nullptr, false);
  if (ja.is_discarded() || jb.is_discarded()) return false;
  return DiffJsonValues(ja, jb, edits);
}

void DiffString(const std::string& a, const std::string& b, std::vector<StringEdit>* edits) {
  if (a != b) edits->push_back({a, b});
}

bool DiffMessages(const std::vector<Message>& a, const std::vector<Message>& b, size_t split_msg,
                  const Example& ea, const Example& eb, std::vector<StringEdit>* edits) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Message& ma = a[i];
    const Message& mb = b[i];
    if (ma.role != mb.role) return false;
    if (i == split_msg) {
      // Alpaca: instruction and input are separate strings of the source.
      size_t sa = size_t(ea.input_split), sb = size_t(eb.input_split);
      if (sa + 1 > ma.content.size() || sb + 1 > mb.content.size()) return false;
      DiffString(ma.content.substr(0, sa), mb.content.substr(0, sb), edits);
      DiffString(ma.content.substr(sa + 1), mb.content.substr(sb + 1), edits);
    } else {
      DiffString(ma.content, mb.content, edits);
    }
    DiffString(ma.name, mb.name, edits);
    DiffString(ma.tool_call_id, mb.tool_call_id, edits);
    if (!DiffJsonText(ma.tool_calls, mb.tool_calls, edits)) return false;
    if (!DiffJsonText(ma.extra, mb.extra, edits)) return false;
  }
  return true;
}

}  // namespace

bool DiffExamples(const Example& a, const Example& b, std::vector<StringEdit>* edits) {
  edits->clear();
  if (a.source_format != b.source_format || a.pref != b.pref || a.has_text != b.has_text || a.label != b.label ||
      a.shape != b.shape || (a.input_split >= 0) != (b.input_split >= 0)) {
    return false;
  }
  size_t split_a = AlpacaSplitMessage(a), split_b = AlpacaSplitMessage(b);
  if (split_a != split_b) return false;
  if (!DiffMessages(a.messages, b.messages, split_a, a, b, edits)) return false;
  if (!DiffMessages(a.chosen, b.chosen, size_t(-1), a, b, edits)) return false;
  if (!DiffMessages(a.rejected, b.rejected, size_t(-1), a, b, edits)) return false;
  DiffString(a.text, b.text, edits);
  if (!DiffJsonText(a.tools, b.tools, edits)) return false;
  return DiffJsonText(a.meta, b.meta, edits);
}

bool PatchSourceRow(std::string_view line, const Example& now, const SourceRowDecoder& decode, std::string* out) {
  if (!decode || !IsValidUtf8(line)) return false;  // a repaired row has no source bytes to keep
  Example before;
  if (!decode(line, &before)) return false;
  std::vector<StringEdit> edits;
  if (!DiffExamples(before, now, &edits)) return false;
  if (edits.empty()) {  // unchanged (or changed where no string is): the line as it is, if it is the row
    before.id = now.id;
    before.origin = now.origin;
    if (!(before == now)) return false;
    out->append(line);
    return true;
  }
  std::string patched;
  if (!PatchJsonStrings(line, edits, &patched)) return false;
  // Proof: the patched line reads back as the row now is.
  Example again;
  if (!decode(patched, &again)) return false;
  again.id = now.id;
  again.origin = now.origin;
  if (!(again == now)) return false;
  out->append(patched);
  return true;
}

}  // namespace winnow
