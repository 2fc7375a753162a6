#include "filters/markup_checks.h"

#include <nlohmann/json.hpp>

#include "core/utf8.h"

namespace winnow {

namespace {

// [SECTION] code fences

struct Fence {
  char ch = 0;
  size_t len = 0;
};

// A fence line: up to 3 spaces, then 3+ of '`' or '~'. For '`' fences the info string may not
// contain a backtick (CommonMark), which tells "```js" from an inline "``` code ```".
bool ParseFence(std::string_view line, Fence* f) {
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return false;
  char ch = line[i];
  size_t start = i;
  while (i < line.size() && line[i] == ch) ++i;
  if (i - start < 3) return false;
  if (ch == '`' && line.find('`', i) != std::string_view::npos) return false;
  f->ch = ch;
  f->len = i - start;
  return true;
}

bool IsBlankRest(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// Calls fn(line, in_code) for every line; in_code is true for fence lines and fenced content.
template <class Fn>
bool ForEachLine(std::string_view text, Fn&& fn) {
  bool open = false;
  Fence cur;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    Fence f;
    if (ParseFence(line, &f)) {
      if (!open) {
        open = true;
        cur = f;
        fn(line, true);
      } else if (f.ch == cur.ch && f.len >= cur.len &&
                 IsBlankRest(line.substr(line.find_first_not_of(' ') + f.len))) {
        open = false;
        fn(line, true);
      } else {
        fn(line, true);
      }
    } else {
      fn(line, open);
    }
    start = nl + 1;
  }
  return open;
}

// [SECTION] HTML

constexpr std::string_view kTags[] = {
    "a", "abbr", "b", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em",
    "font", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "html", "i", "iframe", "img",
    "input", "li", "link", "meta", "nav", "ol", "option", "p", "pre", "script", "section", "select",
    "small", "span", "strong", "style", "sub", "sup", "table", "tbody", "td", "textarea", "tfoot",
    "th", "thead", "title", "tr", "u", "ul",
};
constexpr std::string_view kEntities[] = {
    "nbsp", "amp", "lt", "gt", "quot", "apos", "mdash", "ndash", "hellip", "rsquo", "lsquo", "rdquo",
    "ldquo", "copy", "reg", "trade", "laquo", "raquo", "middot", "bull", "euro",
};

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

// Length of the tag starting at s[0] == '<', or 0.
size_t MatchTag(std::string_view s) {
  size_t i = 1;
  if (i < s.size() && s[i] == '/') ++i;
  size_t name_begin = i;
  while (i < s.size() && (IsAlpha(s[i]) || (i > name_begin && IsDigit(s[i])))) ++i;
  if (i == name_begin || i - name_begin > 10) return 0;
  std::string name(s.substr(name_begin, i - name_begin));
  for (char& c : name) c = static_cast<char>(c | 0x20);
  bool known = false;
  for (std::string_view t : kTags) known = known || t == name;
  if (!known || i >= s.size()) return 0;
  if (s[i] == '>') return i + 1;
  if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '>') return i + 2;
  if (s[i] != ' ' && s[i] != '\t') return 0;
  for (size_t k = i; k < s.size() && k < i + 256; ++k) {
    if (s[k] == '>') return k + 1;
    if (s[k] == '<' || s[k] == '\n') return 0;
  }
  return 0;
}

// Length of the entity starting at s[0] == '&', or 0.
size_t MatchEntity(std::string_view s) {
  size_t i = 1;
  if (i < s.size() && s[i] == '#') {
    ++i;
    bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    size_t b = i;
    while (i < s.size() && i - b < 7 && (hex ? IsHex(s[i]) : IsDigit(s[i]))) ++i;
    return (i > b && i < s.size() && s[i] == ';') ? i + 1 : 0;
  }
  size_t b = i;
  while (i < s.size() && i - b < 8 && IsAlpha(s[i])) ++i;
  if (i == b || i >= s.size() || s[i] != ';') return 0;
  std::string_view name = s.substr(b, i - b);
  for (std::string_view e : kEntities) {
    if (e == name) return i + 1;
  }
  return 0;
}

// [SECTION] mojibake

// Windows-1252 renderings of bytes 0x80..0x9F (0 where the byte is undefined there).
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

// True when cp is how a UTF-8 continuation byte (0x80..0xBF) looks after a Latin-1 or
// Windows-1252 decode.
bool IsContinuationRendering(char32_t cp) {
  if (cp >= 0x80 && cp <= 0xBF) return true;
  if (cp < 0x100) return false;
  for (char16_t c : kCp1252High) {
    if (c != 0 && c == cp) return true;
  }
  return false;
}

bool IsQuoteOrDash(char32_t cp) {
  return cp == 0x2018 || cp == 0x2019 || cp == 0x201A || cp == 0x201C || cp == 0x201D || cp == 0x201E ||
         cp == 0x2013 || cp == 0x2014 || cp == 0x2026;
}

}  // namespace

bool HasUnbalancedCodeFence(std::string_view text) {
  return ForEachLine(text, [](std::string_view, bool) {});
}

std::string RemoveFencedCode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  ForEachLine(text, [&](std::string_view line, bool in_code) {
    if (in_code) return;
    out.append(line);
    out.push_back('\n');
  });
  if (!out.empty()) out.pop_back();
  return out;
}

int CountHtmlLeftovers(std::string_view text) {
  int count = 0;
  size_t tick_run = 0;  // length of the backtick run that opened the current inline code span
  ForEachLine(text, [&](std::string_view line, bool in_code) {
    if (in_code) {
      tick_run = 0;
      return;
    }
    for (size_t i = 0; i < line.size();) {
      char c = line[i];
      if (c == '`') {
        size_t b = i;
        while (i < line.size() && line[i] == '`') ++i;
        size_t run = i - b;
        if (tick_run == 0) {
          tick_run = run;
        } else if (run == tick_run) {
          tick_run = 0;
        }
        continue;
      }
      if (tick_run == 0) {
        size_t n = 0;
        if (c == '<') n = MatchTag(line.substr(i));
        if (c == '&') n = MatchEntity(line.substr(i));
        if (n > 0) {
          ++count;
          i += n;
          continue;
        }
      }
      ++i;
    }
  });
  return count;
}

int CountMojibake(std::string_view text) {
  int count = 0;
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp = DecodeUtf8(text, &i);
    if (cp == 0xFFFD) {
      ++count;
      continue;
    }
    int need = 0;
    if (cp >= 0xC2 && cp <= 0xDF) need = 1;
    else if (cp >= 0xE0 && cp <= 0xEF) need = 2;
    else if (cp >= 0xF0 && cp <= 0xF4) need = 3;
    if (need == 0) continue;
    size_t j = i;
    int got = 0;
    char32_t first = 0;
    while (got < need && j < text.size()) {
      size_t k = j;
      char32_t next = DecodeUtf8(text, &k);
      if (!IsContinuationRendering(next)) break;
      if (got == 0) first = next;
      ++got;
      j = k;
    }
    // German "groß“" is a real word before a real quote, not mojibake.
    if (got == need && !(cp == 0xDF && IsQuoteOrDash(first))) {
      ++count;
      i = j;
    }
  }
  return count;
}

int CountInvalidToolJson(std::span<const std::string_view> tool_calls, std::string_view tools) {
  using nlohmann::json;
  int bad = 0;
  for (std::string_view tc : tool_calls) {
    if (tc.empty()) continue;
    json j = json::parse(tc.begin(), tc.end(), nullptr, false);
    if (j.is_discarded()) {
      ++bad;
      continue;
    }
    json calls = j.is_array() ? j : json::array({j});
    for (const json& call : calls) {
      if (!call.is_object()) continue;
      auto fn = call.find("function");
      const json& holder = (fn != call.end() && fn->is_object()) ? *fn : call;
      auto args = holder.find("arguments");
      if (args == holder.end() || !args->is_string()) continue;
      const std::string& a = args->get_ref<const std::string&>();
      if (!a.empty() && !json::accept(a)) ++bad;  // "" = a call without arguments
    }
  }
  if (!tools.empty() && !json::accept(tools.begin(), tools.end())) ++bad;
  return bad;
}

}  // namespace winnow
