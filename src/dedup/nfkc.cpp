#include "dedup/nfkc.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/utf8.h"
#include "dedup/nfkc_tables.h"

namespace winnow {

namespace {

// Hangul syllables decompose and compose algorithmically (Unicode 3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount, kSCount = kLCount * kNCount;
// An input byte that is not valid UTF-8 travels through the buffer as kRawByte | byte.
constexpr char32_t kRawByte = 0x200000;

// Per 256-code-point block: does any code point in it have a decomposition, a non-zero combining
// class, or appear as the second half of a composition? Most text (CJK, most of Cyrillic, Arabic
// letters) lives in blocks with none and skips the binary searches.
struct BlockFlags {
  enum : uint8_t { kDecomp = 1, kCcc = 2, kSecond = 4 };
  uint8_t f[0x1100] = {};
  BlockFlags() {
    for (size_t i = 0; i < nfkc::kDecompCount; ++i) f[nfkc::kDecompCps[i] >> 8] |= kDecomp;
    for (size_t i = 0; i < nfkc::kCccCount; ++i) f[nfkc::kCccEntries[i] >> 16] |= kCcc;
    for (size_t i = 0; i < nfkc::kComposeCount; ++i) f[(nfkc::kComposeKeys[i] & 0x1FFFFF) >> 8] |= kSecond;
  }
  uint8_t Of(char32_t c) const { return c < 0x110000 ? f[c >> 8] : 0; }
};
const BlockFlags& Flags() {
  static const BlockFlags flags;
  return flags;
}

uint8_t Ccc(char32_t c, const BlockFlags& fl) {
  if (!(fl.Of(c) & BlockFlags::kCcc)) return 0;
  const uint32_t key = uint32_t(c) << 8;
  const uint32_t* end = nfkc::kCccEntries + nfkc::kCccCount;
  const uint32_t* it = std::lower_bound(nfkc::kCccEntries, end, key);
  return (it != end && (*it >> 8) == c) ? uint8_t(*it & 0xFF) : 0;
}

void Decompose(char32_t c, const BlockFlags& fl, std::vector<char32_t>* out) {
  if (c >= kSBase && c < kSBase + kSCount) {
    char32_t s = c - kSBase;
    out->push_back(kLBase + s / kNCount);
    out->push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount) out->push_back(kTBase + s % kTCount);
    return;
  }
  if (fl.Of(c) & BlockFlags::kDecomp) {
    const uint32_t* end = nfkc::kDecompCps + nfkc::kDecompCount;
    const uint32_t* it = std::lower_bound(nfkc::kDecompCps, end, uint32_t(c));
    if (it != end && *it == c) {
      uint32_t ref = nfkc::kDecompRefs[it - nfkc::kDecompCps];
      const uint32_t* p = nfkc::kDecompPool + (ref >> 8);
      out->insert(out->end(), p, p + (ref & 0xFF));
      return;
    }
  }
  out->push_back(c);
}

// The primary composite of a + b, or 0.
char32_t Compose(char32_t a, char32_t b, const BlockFlags& fl) {
  if (a >= kLBase && a < kLBase + kLCount && b >= kVBase && b < kVBase + kVCount) {
    return kSBase + ((a - kLBase) * kVCount + (b - kVBase)) * kTCount;
  }
  if (a >= kSBase && a < kSBase + kSCount && (a - kSBase) % kTCount == 0 && b > kTBase && b < kTBase + kTCount) {
    return a + (b - kTBase);
  }
  if (!(fl.Of(b) & BlockFlags::kSecond) || a >= 0x110000) return 0;
  const uint64_t key = (uint64_t(a) << 21) | b;
  const uint64_t* end = nfkc::kComposeKeys + nfkc::kComposeCount;
  const uint64_t* it = std::lower_bound(nfkc::kComposeKeys, end, key);
  return (it != end && *it == key) ? char32_t(nfkc::kComposeValues[it - nfkc::kComposeKeys]) : 0;
}

bool IsAsciiByte(char c) { return static_cast<unsigned char>(c) < 0x80; }

}  // namespace

const char* NfkcUnicodeVersion() { return nfkc::kUnicodeVersion; }

void AppendNfkc(std::string_view in, std::string* out) {
  // ASCII is its own NFKC, except that the last ASCII character before a combining mark may
  // compose with it ("e" + U+0301): copy up to the character before the first non-ASCII byte.
  size_t first = 0;
  while (first < in.size() && IsAsciiByte(in[first])) ++first;
  if (first == in.size()) {
    out->append(in);
    return;
  }
  size_t copy = first > 0 ? first - 1 : 0;
  out->append(in.substr(0, copy));

  const BlockFlags& fl = Flags();
  thread_local std::vector<char32_t> buf;
  buf.clear();
  // 1. Full compatibility decomposition.
  for (size_t i = copy; i < in.size();) {
    unsigned char b = static_cast<unsigned char>(in[i]);
    if (b < 0x80) {
      buf.push_back(b);
      ++i;
      continue;
    }
    size_t start = i;
    char32_t c = DecodeUtf8(in, &i);
    if (c == 0xFFFD && !(i - start == 3 && in.compare(start, 3, "\xEF\xBF\xBD") == 0)) {
      for (size_t k = start; k < i; ++k) buf.push_back(kRawByte | static_cast<unsigned char>(in[k]));
      continue;
    }
    Decompose(c, fl, &buf);
  }
  // 2. Canonical ordering: each run of non-starters is stably sorted by combining class (runs are
  // short; insertion sort).
  const size_t n = buf.size();
  thread_local std::vector<uint8_t> ccc;
  ccc.resize(n);
  for (size_t i = 0; i < n; ++i) ccc[i] = Ccc(buf[i], fl);
  for (size_t i = 1; i < n; ++i) {
    if (ccc[i] == 0) continue;
    for (size_t j = i; j > 0 && ccc[j - 1] > ccc[j]; --j) {
      std::swap(ccc[j - 1], ccc[j]);
      std::swap(buf[j - 1], buf[j]);
    }
  }
  // 3. Canonical composition (UAX #15): a character joins the last starter when nothing between
  // them blocks it (a blocker has a class of zero or >= its own).
  size_t starter = 0, w = 1;
  int last_class = ccc[0] ? 256 : 0;
  for (size_t r = 1; r < n; ++r) {
    char32_t c = buf[r];
    int cls = ccc[r];
    char32_t comp = (last_class < cls || last_class == 0) ? Compose(buf[starter], c, fl) : 0;
    if (comp && ccc[starter] == 0) {
      buf[starter] = comp;
      continue;
    }
    if (cls == 0) starter = w;
    last_class = cls;
    ccc[w] = static_cast<uint8_t>(cls);
    buf[w++] = c;
  }
  // 4. Encode.
  for (size_t i = 0; i < w; ++i) {
    char32_t c = buf[i];
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else if (c >= kRawByte) {
      out->push_back(static_cast<char>(c & 0xFF));
    } else {
      AppendUtf8(c, out);
    }
  }
}

}  // namespace winnow
