#include "pii/detector.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace winnow::pii {

const std::vector<DetectorDef>& AllDetectors() {
  static const std::vector<DetectorDef> all = [] {
    std::vector<DetectorDef> v;
    AddEmailDetectors(&v);
    AddUrlCredentialDetectors(&v);
    AddSecretDetectors(&v);
    AddIbanDetectors(&v);
    AddCardDetectors(&v);
    AddSsnDetectors(&v);
    AddPhoneDetectors(&v);
    AddIpDetectors(&v);
    AddMacDetectors(&v);
    AddBitcoinDetectors(&v);
    AddNationalIdDetectors(&v);
    return v;
  }();
  return all;
}

bool GroupContinues(std::string_view text, size_t begin, size_t end) {
  // Only spans grouped by spaces alone ("4768 5155 9693"), and only when the neighbour is a whole
  // group of 2-4 digits ("… 9693 last week"), not a date, a word or a hex id.
  bool space = false;
  for (size_t i = begin; i < end; ++i) {
    char c = text[i];
    if (c == ' ') space = true;
    else if (!IsDigit(c)) return false;
  }
  if (!space) return false;
  auto whole_group = [&](size_t b, size_t e) {  // text[b, e) digits, bounded by non-alnum / '-'
    if (e - b < 2 || e - b > 4) return false;
    for (size_t i = b; i < e; ++i) {
      if (!IsDigit(text[i])) return false;
    }
    if (b > 0 && (IsAlnum(text[b - 1]) || text[b - 1] == '-')) return false;
    if (e < text.size() && (IsAlnum(text[e]) || text[e] == '-')) return false;
    return true;
  };
  if (begin >= 2 && text[begin - 1] == ' ' && IsDigit(text[begin - 2])) {
    size_t b = begin - 1;
    while (b > 0 && IsDigit(text[b - 1])) --b;
    if (whole_group(b, begin - 1)) return true;
  }
  if (end + 1 < text.size() && text[end] == ' ' && IsDigit(text[end + 1])) {
    size_t e = end + 1;
    while (e < text.size() && IsDigit(text[e])) ++e;
    if (whole_group(end + 1, e)) return true;
  }
  return false;
}

bool StandaloneToken(std::string_view text, size_t begin, size_t end) {
  if (GroupContinues(text, begin, end)) return false;
  if (begin > 0) {
    char c = text[begin - 1];
    if (IsWordByte(c) || c == '#') return false;
    if ((c == '-' || c == '.' || c == '/') && begin >= 2 && IsAlnum(text[begin - 2])) return false;
    if (c == ':' && begin >= 2 && IsDigit(text[begin - 2])) return false;  // "10:30:4155552671"-like runs
  }
  if (end < text.size()) {
    char c = text[end];
    if (IsWordByte(c)) return false;
    if ((c == '-' || c == '.' || c == '/' || c == ':') && end + 1 < text.size() && IsDigit(text[end + 1])) return false;
    // ',' then a digit: a thousands group or decimal comma ("1,234,567", "12,50") continues the
    // number, but a run of 4+ digits cannot be a thousands group: "…,4539453331478936,04/27" is a
    // CSV field.
    if (c == ',' && end + 1 < text.size() && IsDigit(text[end + 1])) {
      size_t run = 0;
      while (run < end - begin && IsDigit(text[end - 1 - run])) ++run;
      if (run <= 3) return false;
    }
    if ((c == '-' || c == '/') && end + 1 < text.size() && IsAlpha(text[end + 1])) return false;
  }
  return true;
}

static char Lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

static bool WordAt(std::string_view text, size_t pos, std::string_view w) {
  if (pos + w.size() > text.size()) return false;
  for (size_t i = 0; i < w.size(); ++i) {
    if (Lower(text[pos + i]) != w[i]) return false;
  }
  if (pos > 0 && IsAlpha(text[pos - 1])) return false;
  size_t e = pos + w.size();
  if (e < text.size() && IsAlpha(text[e])) return false;
  return true;
}

// Whether a context word starts at some p in [lo, hi) outside [skip_b, skip_e).
static bool ContextWordIn(std::string_view text, size_t lo, size_t hi, size_t skip_b, size_t skip_e,
                          const std::vector<std::string_view>& words) {
  // The words' first bytes, so most word starts are passed over with one bit test (the phone
  // list alone has dozens of words).
  uint64_t first[4] = {};
  for (std::string_view w : words) {
    if (!w.empty()) first[static_cast<unsigned char>(w[0]) >> 6] |= uint64_t{1} << (static_cast<unsigned char>(w[0]) & 63);
  }
  for (size_t p = lo; p < hi; ++p) {
    if (p >= skip_b && p < skip_e) continue;
    if (p > 0 && IsAlpha(text[p - 1])) continue;  // a word starts here or not at all (WordAt)
    char c = Lower(text[p]);
    unsigned char uc = static_cast<unsigned char>(c);
    if (!(first[uc >> 6] >> (uc & 63) & 1)) continue;
    for (std::string_view w : words) {
      if (w[0] == c && WordAt(text, p, w)) return true;
    }
  }
  return false;
}

bool HasContext(std::string_view text, size_t begin, size_t end, const std::vector<std::string_view>& words,
                size_t before, size_t after) {
  size_t lo = begin > before ? begin - before : 0;
  size_t hi = end + after < text.size() ? end + after : text.size();
  // Context does not reach across lines.
  for (size_t p = begin; p > lo; --p) {
    if (text[p - 1] == '\n') {
      lo = p;
      break;
    }
  }
  for (size_t p = end; p < hi; ++p) {
    if (text[p] == '\n') {
      hi = p;
      break;
    }
  }
  return ContextWordIn(text, lo, hi, begin, end, words);
}

int ContextWordSets::Add(const std::vector<std::string_view>& words) {
  if (m_lists >= 32) return -1;
  uint32_t bit = 1u << m_lists;
  for (std::string_view w : words) {
    if (!w.empty()) m_by_first[static_cast<unsigned char>(w[0])].push_back(Word{w, bit});
  }
  return m_lists++;
}

uint32_t ContextWordSets::Near(std::string_view text, size_t begin, size_t end, size_t before, size_t after) const {
  // Every position HasContext looks at for a span inside [begin, end) is in this window, and a
  // word is tested at a position the same way whatever the window: so the bits are a superset.
  size_t lo = begin > before ? begin - before : 0;
  size_t hi = end + after < text.size() ? end + after : text.size();
  uint32_t bits = 0;
  for (size_t p = lo; p < hi; ++p) {
    if (p > 0 && IsAlpha(text[p - 1])) continue;  // a word starts here or not at all (WordAt)
    for (const Word& w : m_by_first[static_cast<unsigned char>(Lower(text[p]))]) {
      if (!(bits & w.bit) && WordAt(text, p, w.text)) bits |= w.bit;
    }
  }
  return bits;
}

std::string_view SeparatorKinds(std::string_view s, char buf[8]) {
  size_t n = 0;
  for (char c : s) {
    if (IsDigit(c)) continue;
    bool seen = false;
    for (size_t i = 0; i < n; ++i) seen = seen || buf[i] == c;
    if (!seen && n < 8) buf[n++] = c;
  }
  return std::string_view(buf, n);
}

std::vector<int> DigitGroups(std::string_view s) {
  std::vector<int> g;
  int cur = 0;
  for (char c : s) {
    if (IsDigit(c)) {
      ++cur;
    } else if (cur > 0) {
      g.push_back(cur);
      cur = 0;
    }
  }
  if (cur > 0) g.push_back(cur);
  return g;
}

bool HasLiteral(std::string_view text, size_t pos, size_t end, std::string_view lit) {
  if (end > text.size()) end = text.size();
  if (pos >= end || lit.empty()) return pos < end;
  // memchr for the first byte, then an inline compare: literals are short, and a memcmp call per
  // candidate cost more than the compare.
  const char* p = text.data() + pos;
  const char* const e = text.data() + end;
  while (size_t(e - p) >= lit.size()) {
    p = static_cast<const char*>(std::memchr(p, lit[0], size_t(e - p) - lit.size() + 1));
    if (!p) return false;
    size_t k = 1;
    while (k < lit.size() && p[k] == lit[k]) ++k;
    if (k == lit.size()) return true;
    ++p;
  }
  return false;
}

bool HasLiteralFold(std::string_view text, size_t pos, size_t end, std::string_view lit) {
  if (end > text.size()) end = text.size();
  if (lit.empty() || pos >= end || end - pos < lit.size()) return false;
  const unsigned char* u = reinterpret_cast<const unsigned char*>(text.data());
  const size_t last = end - lit.size();  // the last position lit can start at
  auto rest_matches = [&](size_t i) {
    size_t k = 1;
    while (k < lit.size() && Lower(text[i + k]) == lit[k]) ++k;
    return k == lit.size();
  };
  const unsigned char first = static_cast<unsigned char>(lit[0]);
  size_t i = pos;
  if (first >= 'a' && first <= 'z') {
    // Eight bytes at a time (the AWS secret key's could_match runs this over long tokens before
    // every RE2 call): for a lower-case letter L, (b | 0x20) == L holds exactly for b = L and its
    // capital, so one OR, XOR and zero-byte test (exact: no carry crosses a byte) flags the
    // positions where the byte-wise loop below would compare further.
    constexpr uint64_t kOnes = 0x0101010101010101ull, k7f = kOnes * 0x7f, k80 = kOnes * 0x80;
    const uint64_t want = kOnes * first;
    for (; i + 8 <= last + 1; i += 8) {  // all eight positions are <= last
      uint64_t x;
      std::memcpy(&x, u + i, 8);
      const uint64_t y = (x | kOnes * 0x20) ^ want;
      for (uint64_t z = ~(((y & k7f) + k7f) | y) & k80; z; z &= z - 1) {
        if (rest_matches(i + size_t(std::countr_zero(z)) / 8)) return true;
      }
    }
  }
  for (; i <= last; ++i) {
    if (Lower(text[i]) == lit[0] && rest_matches(i)) return true;
  }
  return false;
}

size_t CountByte(std::string_view text, size_t pos, size_t end, char ch) {
  if (end > text.size()) end = text.size();
  size_t count = 0;
  for (size_t i = pos; i < end; ++i) count += text[i] == ch;
  return count;
}

}  // namespace winnow::pii
