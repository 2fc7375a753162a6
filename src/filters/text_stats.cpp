#include "filters/text_stats.h"

#include "core/utf8.h"

namespace winnow {

namespace {

struct Range {
  char32_t lo, hi;
};

// Punctuation code points inside otherwise letter-bearing blocks (U+0370..U+1FFF).
constexpr Range kLetterBlockPunct[] = {
    {0x037E, 0x037E}, {0x0387, 0x0387}, {0x055A, 0x055F}, {0x0589, 0x058A}, {0x05BE, 0x05BE},
    {0x05C0, 0x05C0}, {0x05C3, 0x05C3}, {0x05C6, 0x05C6}, {0x05F3, 0x05F4}, {0x0600, 0x060F},
    {0x061B, 0x061F}, {0x066A, 0x066D}, {0x06D4, 0x06D4}, {0x0964, 0x0965}, {0x0E3F, 0x0E3F},
    {0x0E4F, 0x0E4F}, {0x0E5A, 0x0E5B}, {0x10FB, 0x10FB}, {0x166D, 0x166E}, {0x1800, 0x180A},
};
// Digits of other scripts that appear in ordinary text.
constexpr Range kDigits[] = {
    {0x0660, 0x0669}, {0x06F0, 0x06F9}, {0x0966, 0x096F}, {0x09E6, 0x09EF}, {0x0E50, 0x0E59},
    {0xFF10, 0xFF19},
};

bool In(const Range* begin, const Range* end, char32_t cp) {
  for (const Range* r = begin; r != end; ++r) {
    if (cp >= r->lo && cp <= r->hi) return true;
  }
  return false;
}

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view TrimAscii(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsAsciiSpace(s[b])) ++b;
  while (e > b && IsAsciiSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

}  // namespace

CharClass CharClassOf(char32_t cp) {
  if (cp < 0x80) {
    if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D)) return CharClass::Space;
    if (cp >= '0' && cp <= '9') return CharClass::Digit;
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return CharClass::Letter;
    return CharClass::Symbol;
  }
  if (cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x2028 ||
      cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000) {
    return CharClass::Space;
  }
  if (In(std::begin(kDigits), std::end(kDigits), cp)) return CharClass::Digit;
  if (cp < 0xC0) return (cp == 0xAA || cp == 0xB5 || cp == 0xBA) ? CharClass::Letter : CharClass::Symbol;
  if (cp < 0x370) return (cp == 0xD7 || cp == 0xF7) ? CharClass::Symbol : CharClass::Letter;
  if (cp < 0x2000) {
    return In(std::begin(kLetterBlockPunct), std::end(kLetterBlockPunct), cp) ? CharClass::Symbol
                                                                                : CharClass::Letter;
  }
  if (cp < 0x2C00) return CharClass::Symbol;  // punctuation, currency, arrows, math, box drawing
  if (cp < 0x2E00) return CharClass::Letter;  // Glagolitic, Coptic, Tifinagh, Ethiopic ext
  if (cp < 0x2E80) return CharClass::Symbol;
  if (cp < 0x2FE0) return CharClass::Cjk;     // radicals
  if (cp < 0x3040) return CharClass::Symbol;  // CJK symbols and punctuation
  if (cp < 0x3130) return cp == 0x30FB ? CharClass::Symbol : CharClass::Cjk;  // kana, bopomofo
  if (cp < 0x3190) return CharClass::Letter;  // Hangul compatibility jamo
  if (cp < 0x3200) return CharClass::Cjk;
  if (cp < 0x3400) return CharClass::Symbol;  // enclosed / compatibility CJK
  if (cp < 0x4DC0) return CharClass::Cjk;
  if (cp < 0x4E00) return CharClass::Symbol;  // hexagrams
  if (cp < 0xA4D0) return CharClass::Cjk;     // unified ideographs, Yi
  if (cp < 0xD800) return CharClass::Letter;  // Lisu .. Hangul syllables
  if (cp < 0xF900) return CharClass::Symbol;  // surrogates, private use
  if (cp < 0xFB00) return CharClass::Cjk;
  if (cp < 0xFE00) return CharClass::Letter;  // presentation forms
  if (cp < 0xFE70) return CharClass::Symbol;  // variation selectors, vertical / small forms
  if (cp < 0xFEFF) return CharClass::Letter;
  if (cp < 0xFF00) return CharClass::Symbol;
  if (cp < 0xFFF0) {
    if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) || (cp >= 0xFFA0 && cp <= 0xFFDC)) {
      return CharClass::Letter;
    }
    if (cp >= 0xFF66 && cp <= 0xFF9F) return CharClass::Cjk;
    return CharClass::Symbol;
  }
  if (cp < 0x10000) return CharClass::Symbol;
  if (cp < 0x1D000) return CharClass::Letter;  // historic scripts
  if (cp < 0x1D400) return CharClass::Symbol;  // musical symbols
  if (cp < 0x1F000) return CharClass::Letter;  // mathematical alphanumerics, Adlam, ...
  if (cp < 0x20000) return CharClass::Symbol;  // emoji, pictographs
  if (cp < 0x40000) return CharClass::Cjk;
  return CharClass::Symbol;
}

TextStats ComputeTextStats(std::string_view text) {
  TextStats st;
  size_t i = 0;
  bool in_word = false;
  uint64_t word_len = 0;
  int dots = 0;  // consecutive '.' seen
  char32_t prev_cp = 0;
  auto end_word = [&] {
    if (in_word) {
      ++st.words;
      ++st.spaced_words;
      st.spaced_word_chars += word_len;
    }
    in_word = false;
    word_len = 0;
  };
  while (i < text.size()) {
    unsigned char b = static_cast<unsigned char>(text[i]);
    char32_t cp = b < 0x80 ? (++i, b) : DecodeUtf8(text, &i);  // ASCII without a call
    ++st.code_points;
    if (cp == '.') {
      if (++dots == 3) {
        ++st.hash_and_ellipsis;
        dots = 0;
      }
    } else {
      dots = 0;
    }
    // A run of '#' ("###" heading, GSM8K's "#### 42" answer marker) is one symbol, as Gopher
    // counts symbols per word, not per character.
    if ((cp == '#' && prev_cp != '#') || cp == 0x2026) ++st.hash_and_ellipsis;
    prev_cp = cp;
    switch (CharClassOf(cp)) {
      case CharClass::Space:
        end_word();
        break;
      case CharClass::Cjk:
        end_word();
        ++st.cjk;
        ++st.letters;
        ++st.words;
        break;
      case CharClass::Letter:
        ++st.letters;
        in_word = true;
        ++word_len;
        break;
      case CharClass::Digit:
        ++st.digits;
        in_word = true;
        ++word_len;
        break;
      case CharClass::Symbol:
        ++st.symbols;
        in_word = true;
        ++word_len;
        break;
    }
  }
  end_word();
  return st;
}

void SplitWords(std::string_view text, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0, start = 0;
  bool in_word = false;
  while (i < text.size()) {
    size_t at = i;
    unsigned char b = static_cast<unsigned char>(text[i]);
    CharClass c = CharClassOf(b < 0x80 ? (++i, b) : DecodeUtf8(text, &i));
    if (c == CharClass::Space || c == CharClass::Cjk) {
      if (in_word) out->push_back(text.substr(start, at - start));
      in_word = false;
      if (c == CharClass::Cjk) out->push_back(text.substr(at, i - at));
    } else if (!in_word) {
      in_word = true;
      start = at;
    }
  }
  if (in_word) out->push_back(text.substr(start));
}

void SplitLines(std::string_view text, std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = TrimAscii(text.substr(start, nl - start));
    if (!line.empty()) out->push_back(line);
    start = nl + 1;
  }
}

void SplitParagraphs(std::string_view text, std::vector<std::string_view>* out) {
  out->clear();
  size_t start = 0, para_begin = 0;
  bool have_para = false;
  size_t para_end = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = TrimAscii(text.substr(start, nl - start));
    if (line.empty()) {
      if (have_para) out->push_back(TrimAscii(text.substr(para_begin, para_end - para_begin)));
      have_para = false;
    } else {
      if (!have_para) para_begin = start;
      have_para = true;
      para_end = nl;
    }
    start = nl + 1;
  }
  if (have_para) out->push_back(TrimAscii(text.substr(para_begin, para_end - para_begin)));
}

std::string NormalizeForMatch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      if (IsAsciiSpace(static_cast<char>(c))) {
        pending_space = !out.empty();
        continue;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c));
      continue;
    }
    size_t at = i;
    char32_t cp = DecodeUtf8(text, &i);
    if (CharClassOf(cp) == CharClass::Space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC) {
      out.push_back('\'');
    } else if (cp == 0x201C || cp == 0x201D) {
      out.push_back('"');
    } else {
      out.append(text.substr(at, i - at));
    }
  }
  return out;
}

bool IsBlank(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (CharClassOf(DecodeUtf8(text, &i)) != CharClass::Space) return false;
  }
  return true;
}

}  // namespace winnow
