// Hand-written matchers for the pre-tokenizer regexes (see pretokenizer.h). Each Match* returns
// the length (in code points) of the regex match at position i; alternatives are tried in order
// and each reproduces the backtracking the regex engine would do.
#include "template/pretokenizer.h"

#include <vector>

#include "core/utf8.h"
#include "template/unicode_tables.h"

namespace winnow {

namespace {

// Character classes, precomputed per code point.
enum : uint8_t { kL = 1, kN = 2, kS = 4, kNl = 8, kUpper = 16, kLower = 32, kM = 64 };

struct Text {
  std::vector<char32_t> cp;
  std::vector<uint8_t> cls;
  std::vector<uint32_t> off;  // byte offset of each code point (plus the end)
};

uint8_t Classify(char32_t c) {
  if (c < 0x80) {
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return kL | (c <= 'Z' ? kUpper : kLower);
    if (c >= '0' && c <= '9') return kN;
    if (c == '\n' || c == '\r') return kS | kNl;
    if (c == ' ' || (c >= 9 && c <= 13)) return kS;
    return 0;
  }
  uni::Category g = uni::CategoryOf(c);
  switch (g) {
    case uni::Lu: case uni::Lt: return kL | kUpper;
    case uni::Ll: return kL | kLower;
    case uni::Lm: case uni::Lo: return kL | kUpper | kLower;
    case uni::Mn: case uni::Mc: case uni::Me: return kM | kUpper | kLower;
    case uni::Nd: case uni::Nl: case uni::No: return kN;
    default: break;
  }
  return uni::IsWhiteSpace(c) ? kS : 0;
}

void Decode(std::string_view s, Text* t) {
  t->cp.clear();
  t->cls.clear();
  t->off.clear();
  for (size_t i = 0; i < s.size();) {
    t->off.push_back(static_cast<uint32_t>(i));
    unsigned char b = static_cast<unsigned char>(s[i]);
    char32_t c;
    if (b < 0x80) {
      c = b;
      ++i;
    } else {
      size_t j = i;
      c = DecodeUtf8(s, &j);
      i = j;
    }
    t->cp.push_back(c);
    t->cls.push_back(Classify(c));
  }
  t->off.push_back(static_cast<uint32_t>(s.size()));
}

inline bool IsL(const Text& t, size_t i) { return i < t.cp.size() && (t.cls[i] & kL); }
inline bool IsN(const Text& t, size_t i) { return i < t.cp.size() && (t.cls[i] & kN); }
inline bool IsS(const Text& t, size_t i) { return i < t.cp.size() && (t.cls[i] & kS); }
inline bool IsNl(const Text& t, size_t i) { return i < t.cp.size() && (t.cls[i] & kNl); }
// [^\s\p{L}\p{N}]
inline bool IsOther(const Text& t, size_t i) { return i < t.cp.size() && !(t.cls[i] & (kS | kL | kN)); }
// [^\r\n\p{L}\p{N}]
inline bool IsPrefix(const Text& t, size_t i) { return i < t.cp.size() && !(t.cls[i] & (kNl | kL | kN)); }
// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] and [\p{Ll}\p{Lm}\p{Lo}\p{M}]
inline bool IsUp(const Text& t, size_t i) { return i < t.cp.size() && (t.cls[i] & kUpper); }
inline bool IsLow(const Text& t, size_t i) { return i < t.cp.size() && (t.cls[i] & kLower); }

char32_t Fold(char32_t c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

// 's|'t|'re|'ve|'m|'ll|'d (case-insensitive when ci).
size_t Contraction(const Text& t, size_t i, bool ci) {
  if (i >= t.cp.size() || t.cp[i] != '\'') return 0;
  auto at = [&](size_t k) -> char32_t {
    if (k >= t.cp.size()) return 0;
    return ci ? Fold(t.cp[k]) : t.cp[k];
  };
  char32_t a = at(i + 1), b = at(i + 2);
  if (a == 's' || a == 't') return 2;
  if (a == 'r' && b == 'e') return 3;
  if (a == 'v' && b == 'e') return 3;
  if (a == 'm') return 2;
  if (a == 'l' && b == 'l') return 3;
  if (a == 'd') return 2;
  return 0;
}

// Whitespace alternatives shared by all patterns: [\s*[\r\n]+ |] \s+(?!\S) | \s+
size_t Whitespace(const Text& t, size_t i, bool newline_alt) {
  if (!IsS(t, i)) return 0;
  size_t j = i;
  while (IsS(t, j)) ++j;
  if (newline_alt) {
    size_t last_nl = SIZE_MAX;
    for (size_t k = i; k < j; ++k) {
      if (IsNl(t, k)) last_nl = k;
    }
    if (last_nl != SIZE_MAX) return last_nl + 1 - i;
  }
  if (j == t.cp.size()) return j - i;
  if (j - 1 > i) return j - 1 - i;
  return j - i;
}

size_t MatchGpt2(const Text& t, size_t i) {
  if (size_t c = Contraction(t, i, false)) return c;
  // ' ?\p{L}+', ' ?\p{N}+', ' ?[^\s\p{L}\p{N}]+': the optional space is taken when the class follows.
  size_t s = (t.cp[i] == ' ') ? i + 1 : i;
  for (auto pred : {IsL, IsN, IsOther}) {
    size_t start = pred(t, s) ? s : (pred(t, i) ? i : SIZE_MAX);
    if (start == SIZE_MAX) continue;
    size_t j = start;
    while (pred(t, j)) ++j;
    return j - i;
  }
  if (size_t w = Whitespace(t, i, false)) return w;
  return 1;
}

size_t MatchCl100k(const Text& t, size_t i, size_t max_digits) {
  if (size_t c = Contraction(t, i, true)) return c;
  // [^\r\n\p{L}\p{N}]?\p{L}+
  if (IsPrefix(t, i) && IsL(t, i + 1)) {
    size_t j = i + 1;
    while (IsL(t, j)) ++j;
    return j - i;
  }
  if (IsL(t, i)) {
    size_t j = i;
    while (IsL(t, j)) ++j;
    return j - i;
  }
  // \p{N}{1,3}
  if (IsN(t, i)) {
    size_t j = i;
    while (IsN(t, j) && j - i < max_digits) ++j;
    return j - i;
  }
  //  ?[^\s\p{L}\p{N}]+[\r\n]*
  size_t s = (t.cp[i] == ' ' && IsOther(t, i + 1)) ? i + 1 : i;
  if (IsOther(t, s)) {
    size_t j = s;
    while (IsOther(t, j)) ++j;
    while (IsNl(t, j)) ++j;
    return j - i;
  }
  if (size_t w = Whitespace(t, i, true)) return w;
  return 1;
}

// [^\r\n\p{L}\p{N}]? U* Lw+ C?  |  [^\r\n\p{L}\p{N}]? U+ Lw* C?
size_t O200kWord(const Text& t, size_t i, bool first_form) {
  for (int with_prefix = 1; with_prefix >= 0; --with_prefix) {
    if (with_prefix && !IsPrefix(t, i)) continue;
    size_t s = i + static_cast<size_t>(with_prefix);
    size_t j = s;
    while (IsUp(t, j)) ++j;
    size_t end = 0;
    if (first_form) {
      for (size_t k = j + 1; k-- > s;) {
        if (IsLow(t, k)) {
          size_t m = k;
          while (IsLow(t, m)) ++m;
          end = m;
          break;
        }
      }
    } else if (j > s) {
      size_t m = j;
      while (IsLow(t, m)) ++m;
      end = m;
    }
    if (end) return end + Contraction(t, end, true) - i;
  }
  return 0;
}

size_t MatchO200k(const Text& t, size_t i) {
  if (size_t w = O200kWord(t, i, true)) return w;
  if (size_t w = O200kWord(t, i, false)) return w;
  if (IsN(t, i)) {
    size_t j = i;
    while (IsN(t, j) && j - i < 3) ++j;
    return j - i;
  }
  size_t s = (t.cp[i] == ' ' && IsOther(t, i + 1)) ? i + 1 : i;
  if (IsOther(t, s)) {
    size_t j = s;
    while (IsOther(t, j)) ++j;
    while (j < t.cp.size() && (IsNl(t, j) || t.cp[j] == '/')) ++j;
    return j - i;
  }
  if (size_t w = Whitespace(t, i, true)) return w;
  return 1;
}

}  // namespace

void PreTokenize(PreTokenizerKind kind, std::string_view text, const std::function<void(size_t, size_t)>& piece) {
  thread_local Text t;
  Decode(text, &t);
  size_t n = t.cp.size();
  for (size_t i = 0; i < n;) {
    size_t len;
    switch (kind) {
      case PreTokenizerKind::Gpt2: len = MatchGpt2(t, i); break;
      case PreTokenizerKind::Cl100k: len = MatchCl100k(t, i, 3); break;
      case PreTokenizerKind::Cl100kDigit: len = MatchCl100k(t, i, 1); break;
      case PreTokenizerKind::O200k: len = MatchO200k(t, i); break;
      default: len = 1;
    }
    if (len == 0) len = 1;
    piece(t.off[i], t.off[i + len]);
    i += len;
  }
}

bool PreTokenizerFromRegex(std::string_view regex, PreTokenizerKind* out) {
  static const std::pair<const char*, PreTokenizerKind> kKnown[] = {
      {"'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+", PreTokenizerKind::Gpt2},
      {"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
       PreTokenizerKind::Cl100k},
      {"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
       PreTokenizerKind::Cl100kDigit},
      {"[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
       "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|"
       "\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
       PreTokenizerKind::O200k},
  };
  for (const auto& [re, kind] : kKnown) {
    if (regex == re) {
      *out = kind;
      return true;
    }
  }
  return false;
}

}  // namespace winnow
