// Helpers over the generated Unicode tables (unicode_tables.h): lookups, case mapping, NFC.
#include <algorithm>
#include <vector>

#include "core/utf8.h"
#include "template/unicode_tables.h"

namespace winnow::uni {

Category CategoryOf(char32_t cp) {
  if (cp >= 0x110000) return Cn;
  const uint32_t* end = kCategoryStarts + kCategoryCount;
  const uint32_t* it = std::upper_bound(kCategoryStarts, end, static_cast<uint32_t>(cp));
  return static_cast<Category>(kCategoryValues[(it - kCategoryStarts) - 1]);
}

static bool InSorted(const uint32_t* a, size_t n, char32_t cp) {
  return std::binary_search(a, a + n, static_cast<uint32_t>(cp));
}

bool IsWhiteSpace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 9 && cp <= 13);
  return InSorted(kWhiteSpace, kWhiteSpaceCount, cp);
}

bool IsPySpace(char32_t cp) {
  if (cp < 0x80) return cp == ' ' || (cp >= 9 && cp <= 13) || (cp >= 0x1c && cp <= 0x1f);
  return InSorted(kPySpace, kPySpaceCount, cp);
}

bool IsPyPrintable(char32_t cp) {
  if (cp == ' ') return true;
  if (cp < 0x80) return cp > 0x20 && cp < 0x7f;
  Category c = CategoryOf(cp);
  return !(c == Cn || c == Cc || c == Cf || c == Cs || c == Co || c == Zl || c == Zp || c == Zs);
}

static const CaseMap* FindCase(const CaseMap* t, size_t n, char32_t cp) {
  const CaseMap* end = t + n;
  const CaseMap* it = std::lower_bound(t, end, cp, [](const CaseMap& m, char32_t v) { return m.cp < v; });
  return (it != end && it->cp == cp) ? it : nullptr;
}

static void AppendCase(const CaseMap* t, size_t n, char32_t cp, std::string* out) {
  const CaseMap* m = FindCase(t, n, cp);
  if (!m) {
    AppendUtf8(cp, out);
    return;
  }
  for (uint32_t c : m->to) {
    if (c) AppendUtf8(c, out);
  }
}

void AppendLower(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    return;
  }
  AppendCase(kLower, kLowerCount, cp, out);
}

void AppendUpper(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp >= 'a' && cp <= 'z' ? cp - 32 : cp));
    return;
  }
  AppendCase(kUpper, kUpperCount, cp, out);
}

bool IsCased(char32_t cp) {
  if (cp < 0x80) return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
  Category c = CategoryOf(cp);
  return c == Lu || c == Ll || c == Lt || FindCase(kLower, kLowerCount, cp) || FindCase(kUpper, kUpperCount, cp);
}

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

// [SECTION] NFC: full canonical decomposition, canonical ordering, canonical composition.
namespace {
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr int kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;

uint32_t Ccc(char32_t cp) {
  if (cp < 0x300) return 0;
  const CodeValue* end = kCombiningClass + kCombiningClassCount;
  const CodeValue* it = std::lower_bound(kCombiningClass, end, cp, [](const CodeValue& m, char32_t v) { return m.cp < v; });
  return (it != end && it->cp == cp) ? it->value : 0;
}

void Decompose(char32_t cp, std::vector<char32_t>* out) {
  if (cp >= kSBase && cp < kSBase + kSCount) {
    int s = static_cast<int>(cp - kSBase);
    out->push_back(kLBase + s / kNCount);
    out->push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount) out->push_back(kTBase + s % kTCount);
    return;
  }
  const Decomp* end = kDecomp + kDecompCount;
  const Decomp* it = std::lower_bound(kDecomp, end, cp, [](const Decomp& m, char32_t v) { return m.cp < v; });
  if (it == end || it->cp != cp) {
    out->push_back(cp);
    return;
  }
  Decompose(it->to[0], out);
  if (it->to[1]) Decompose(it->to[1], out);
}

char32_t ComposePair(char32_t a, char32_t b) {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount) {
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  }
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount) {
    return a + (b - kTBase);
  }
  const Compose* end = kCompose + kComposeCount;
  const Compose* it = std::lower_bound(kCompose, end, std::pair<char32_t, char32_t>(a, b),
                                       [](const Compose& m, std::pair<char32_t, char32_t> v) {
                                         return m.a < v.first || (m.a == v.first && m.b < v.second);
                                       });
  return (it != end && it->a == a && it->b == b) ? it->c : 0;
}
}  // namespace

static std::vector<char32_t> DecomposeOrdered(std::string_view s) {
  std::vector<char32_t> d;
  d.reserve(s.size());
  for (size_t i = 0; i < s.size();) Decompose(DecodeUtf8(s, &i), &d);
  // Canonical ordering: stable sort runs of non-starters by combining class.
  for (size_t i = 0; i < d.size();) {
    if (Ccc(d[i]) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < d.size() && Ccc(d[j]) != 0) ++j;
    std::stable_sort(d.begin() + i, d.begin() + j, [](char32_t a, char32_t b) { return Ccc(a) < Ccc(b); });
    i = j;
  }
  return d;
}

std::string Nfd(std::string_view s) {
  if (IsAscii(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (char32_t c : DecomposeOrdered(s)) AppendUtf8(c, &out);
  return out;
}

std::string Nfc(std::string_view s) {
  if (IsAscii(s)) return std::string(s);
  std::vector<char32_t> d = DecomposeOrdered(s);
  // Composition.
  std::vector<char32_t> r;
  r.reserve(d.size());
  size_t starter = static_cast<size_t>(-1);
  uint32_t last_ccc = 0;
  for (char32_t c : d) {
    uint32_t cc = Ccc(c);
    if (starter != static_cast<size_t>(-1)) {
      bool blocked = !r.empty() && r.size() - 1 != starter && (last_ccc == 0 || last_ccc >= cc);
      if (!blocked) {
        char32_t comp = ComposePair(r[starter], c);
        if (comp) {
          r[starter] = comp;
          continue;
        }
      }
    }
    if (cc == 0) {
      starter = r.size();
      last_ccc = 0;
    } else {
      last_ccc = cc;
    }
    r.push_back(c);
  }
  std::string out;
  out.reserve(s.size());
  for (char32_t c : r) AppendUtf8(c, &out);
  return out;
}

}  // namespace winnow::uni
