#include "pii/pii_scanner.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>

#include "pii/prefix_search.h"

namespace winnow::pii {

// [SECTION] regions: one pass over the text finds where each Trigger's patterns can match.
namespace {

struct Region {
  uint32_t begin, end;
  uint32_t digits;  // digits inside (Numeric only)
};

enum ByteClass : uint8_t { kNum = 1, kTok = 2, kHex = 4, kDigit = 8, kUpper = 16, kLower = 32 };

struct ClassTable {
  uint8_t c[256] = {};
  ClassTable() {
    for (int i = '0'; i <= '9'; ++i) c[i] |= kNum | kTok | kHex | kDigit;
    for (const char* p = " .-()/+"; *p; ++p) c[uint8_t(*p)] |= kNum;
    for (int i = 'a'; i <= 'z'; ++i) c[i] |= kTok | kLower;
    for (int i = 'A'; i <= 'Z'; ++i) c[i] |= kTok | kUpper;
    for (const char* p = "_-/+"; *p; ++p) c[uint8_t(*p)] |= kTok;
    for (int i = 'a'; i <= 'f'; ++i) c[i] |= kHex;
    for (int i = 'A'; i <= 'F'; ++i) c[i] |= kHex;
    for (const char* p = ":.-"; *p; ++p) c[uint8_t(*p)] |= kHex;
  }
};
const ClassTable kClass;

void AddRegion(std::vector<Region>* v, size_t b, size_t e, uint32_t digits = 0) {
  if (!v->empty() && v->back().end >= b) {  // merge overlapping / touching regions
    v->back().end = std::max<uint32_t>(v->back().end, uint32_t(e));
    v->back().digits += digits;
    return;
  }
  v->push_back(Region{uint32_t(b), uint32_t(e), digits});
}

// [SECTION] SWAR helpers: eight bytes at a time in plain 64-bit arithmetic (the same code natively
// and in wasm). Each returns 0x80 in every byte that qualifies; exact (no carry crosses a byte)
// unless its comment says otherwise.
constexpr uint64_t kOnes = 0x0101010101010101ull, k7f = kOnes * 0x7f, k80 = kOnes * 0x80;

// Flags the first ASCII digit of a word exactly (bytes above it may be flagged wrongly: a borrow
// runs on from a digit), in four operations: x ^ '0' maps the digits to 0..9 and only them, and
// y - 10 borrows into a byte's high bit only there. The first-digit scan below reads nothing but
// the lowest flag, and it runs over every byte of the text.
inline uint64_t FirstDigitFlag(uint64_t x) {
  const uint64_t y = x ^ (kOnes * '0');
  return (y - kOnes * 10) & ~y & k80;
}
// "Breakers": ASCII control / space or >= 0x80 — bytes that are never inside a token run.
inline uint64_t Breakers(uint64_t x) { return (~((x & k7f) + kOnes * 0x5f) | x) & k80; }
// Zero bytes (0x80 in each).
inline uint64_t ZeroBytes(uint64_t x) { return ~(((x & k7f) + k7f) | x) & k80; }
inline uint64_t Load8(const uint8_t* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}

// Index of the first ASCII digit at or after i (n when none).
size_t SkipToDigit(const uint8_t* u, size_t i, size_t n) {
  for (; i + 16 <= n; i += 16) {  // two words per branch; the digit's byte from the flags (no byte loop)
    uint64_t a = FirstDigitFlag(Load8(u + i)), b = FirstDigitFlag(Load8(u + i + 8));
    if (a) return i + size_t(std::countr_zero(a)) / 8;
    if (b) return i + 8 + size_t(std::countr_zero(b)) / 8;
  }
  while (i < n && !(u[i] >= '0' && u[i] <= '9')) ++i;
  return i;
}

// Start of the first stretch of 14+ non-breaker bytes at or after i (n when none); byte i - 1 must
// be a breaker (or i == 0). Per eight bytes: a few ALU operations and one predictable branch.
size_t SkipToLongStretch(const uint8_t* u, size_t i, size_t n) {
  size_t run = 0;  // non-breakers right before byte i
  // Two words a step while both hold a breaker (prose: a space every few bytes): a stretch of 14+
  // then starts in the run before them or at the end of the first word (one word holds at most 7).
  for (; i + 16 <= n; i += 16) {
    uint64_t b0 = Breakers(Load8(u + i)), b1 = Breakers(Load8(u + i + 8));
    if (b0 && b1) {
      size_t lead0 = size_t(std::countr_zero(b0)) / 8, tail0 = size_t(std::countl_zero(b0)) / 8;
      if (run + lead0 >= 14) return i - run;
      if (tail0 + size_t(std::countr_zero(b1)) / 8 >= 14) return i + 8 - tail0;
      run = size_t(std::countl_zero(b1)) / 8;
      continue;
    }
    for (size_t k = 0; k < 2; ++k) {  // a word without breakers: one word at a time
      const uint64_t brk = k ? b1 : b0;
      const size_t at = i + 8 * k;
      if (!brk) {
        run += 8;
        if (run >= 14) return at + 8 - run;
        continue;
      }
      if (run + size_t(std::countr_zero(brk)) / 8 >= 14) return at - run;
      run = size_t(std::countl_zero(brk)) / 8;
    }
  }
  for (; i + 8 <= n; i += 8) {
    uint64_t brk = Breakers(Load8(u + i));
    if (!brk) {
      run += 8;
      if (run >= 14) return i + 8 - run;
      continue;
    }
    if (run + size_t(std::countr_zero(brk)) / 8 >= 14) return i - run;
    run = size_t(std::countl_zero(brk)) / 8;  // a stretch inside one word is at most 7 bytes
  }
  for (; i < n; ++i) {
    if (u[i] <= 0x20 || u[i] >= 0x80) run = 0;
    else if (++run >= 14) return i + 1 - run;
  }
  return n;
}

// Index of the first ':' or '.' at or after i that a hex byte or "//" follows (n when none): one
// pass for both, and no call per hit (prose has a '.' every few dozen bytes, nearly all of them
// before a space). ':' (0x3a) and '.' (0x2e) are the bytes b with
// (b | 0x14) == 0x3e, as are '*' and '>': one test a word finds all four, and the few '*' / '>'
// (markdown) are passed over by looking at the flagged bytes.
size_t SkipToColonOrDot(const uint8_t* u, size_t i, size_t n) {
  constexpr uint64_t k14 = kOnes * 0x14, k3e = kOnes * 0x3e;
  // Only a ':' / '.' that a hex byte follows, or a "://", is of use to the caller (the '.' ending
  // a sentence, the ':' after a label are not): those are passed over here, without a return.
  const uint8_t* c = kClass.c;
  auto wanted = [&](size_t k) {
    return (u[k] == ':' || u[k] == '.') &&
           ((k + 1 < n && (c[u[k + 1]] & kHex)) || (u[k] == ':' && k + 2 < n && u[k + 1] == '/' && u[k + 2] == '/'));
  };
  auto first_in = [&](size_t at, uint64_t flags) -> size_t {
    for (; flags; flags &= flags - 1) {
      size_t k = at + size_t(std::countr_zero(flags)) / 8;
      if (wanted(k)) return k;
    }
    return n;
  };
  for (; i + 16 <= n; i += 16) {
    uint64_t a = ZeroBytes((Load8(u + i) | k14) ^ k3e), b = ZeroBytes((Load8(u + i + 8) | k14) ^ k3e);
    if (!(a | b)) continue;
    size_t k = first_in(i, a);
    if (k == n) k = first_in(i + 8, b);
    if (k != n) return k;
  }
  while (i < n && !wanted(i)) ++i;
  return i;
}

// "://" at p: the scheme before it, up to the next space (or quote, bracket) after.
void AddUrlRegion(std::string_view t, size_t p, std::vector<Region>* out) {
  const size_t n = t.size();
  size_t b = p, e = p + 3;
  while (b > 0 && p - b < 16 && (IsAlnum(t[b - 1]) || t[b - 1] == '+' || t[b - 1] == '.' || t[b - 1] == '-')) --b;
  auto ends_url = [](char ch) {
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '"' || ch == '\'' || ch == '<' || ch == '>';
  };
  while (e < n && e - p < 2048 && !ends_url(t[e])) ++e;
  AddRegion(out, b, e);
}

void FindRegions(std::string_view t, std::vector<Region> (&out)[kTriggerCount]) {
  const size_t n = t.size();
  const uint8_t* c = kClass.c;
  const uint8_t* u = reinterpret_cast<const uint8_t*>(t.data());
  // Numeric: from each digit, the whole run of digits and [ .-()/+] around it. Ordinary prose
  // costs one SWAR test per eight bytes. IBAN starts are checked at each digit run too.
  for (size_t i = 0; i < n;) {
    i = SkipToDigit(u, i, n);
    if (i >= n) break;
    // IBAN: two letters of one case ("DE89", "de89": people type them lower-case too), two digits.
    if (i >= 2 && i + 1 < n && (c[u[i - 1]] & c[u[i - 2]] & (kUpper | kLower)) && (c[u[i + 1]] & kDigit) &&
        (i == 2 || !(c[u[i - 3]] & kTok))) {
      AddRegion(&out[size_t(Trigger::Iban)], i - 2, std::min(n, i + 40));
    }
    size_t b = i;
    while (b > 0 && (c[u[b - 1]] & kNum) && !(c[u[b - 1]] & kDigit)) --b;  // "(", "+", spaces before
    uint32_t digits = 0, dots = 0;
    while (i < n && (c[u[i]] & kNum)) {
      digits += (c[u[i]] & kDigit) != 0;
      dots += u[i] == '.';
      ++i;
    }
    if (digits >= 7 || (digits >= 4 && dots >= 3)) {
      AddRegion(&out[size_t(Trigger::Numeric)], b >= 3 ? b - 3 : 0, std::min(n, i + 2), digits);
    }
  }
  // Token runs of 14+ bytes. Token bytes are never breakers, so such a run lies inside a stretch of
  // 14+ non-breakers (in prose: rare long words, URLs, ids); only those stretches are read byte by
  // byte, and every maximal token run of 14+ bytes in them is a region.
  constexpr size_t kMinTok = 14;
  for (size_t zb = SkipToLongStretch(u, 0, n); zb < n; zb = SkipToLongStretch(u, zb, n)) {
    size_t ze = zb;
    while (ze < n && u[ze] > 0x20 && u[ze] < 0x80) ++ze;
    for (size_t i = zb; i < ze;) {
      while (i < ze && !(c[u[i]] & kTok)) ++i;
      size_t b = i;
      while (i < ze && (c[u[i]] & kTok)) ++i;
      if (i - b >= kMinTok) {
        AddRegion(&out[size_t(Trigger::Token)], b, i);
        if (i - b >= 40) AddRegion(&out[size_t(Trigger::TokenLong)], b >= 48 ? b - 48 : 0, i);
      }
    }
    zb = ze;
  }
  // Hex runs around ':' (IPv6, MAC with colons: two ':') and '.' (Cisco-dotted MAC: no ':', two
  // '.', 12+ hex digits); MACs with dashes are tokens and covered above by their own detector.
  // A run is visited at its first separator (then every later one in it is skipped), so nothing
  // before that holds a separator: when no hex byte follows, the run has one separator and is not
  // a region, and the back scan is skipped (most are the '.' ending a sentence, the ':' after a
  // label). "://" is found here too: '/' is not hex, so its ':' ends a run, and each run is
  // visited once, in text order.
  for (size_t i = SkipToColonOrDot(u, 0, n); i < n;) {
    if (i + 1 >= n || !(c[u[i + 1]] & kHex)) {
      if (u[i] == ':' && i + 2 < n && u[i + 1] == '/' && u[i + 2] == '/') AddUrlRegion(t, i, &out[size_t(Trigger::Url)]);
      i = SkipToColonOrDot(u, i + 1, n);
      continue;
    }
    size_t b = i, e = i;
    while (b > 0 && (c[u[b - 1]] & kHex)) --b;
    while (e < n && (c[u[e]] & kHex)) ++e;  // e > i: ':' and '.' are in the hex class
    uint32_t colons = 0, dots = 0, hex = 0;
    for (size_t k = b; k < e; ++k) {
      colons += u[k] == ':';
      dots += u[k] == '.';
      hex += (c[u[k]] & kTok) != 0;
    }
    if (colons >= 2 || (colons == 0 && dots >= 2 && hex >= 12)) {
      AddRegion(&out[size_t(Trigger::HexColon)], b > 0 ? b - 1 : 0, std::min(n, e + 1));
    }
    if (u[e - 1] == ':' && e + 1 < n && u[e] == '/' && u[e + 1] == '/') AddUrlRegion(t, e - 1, &out[size_t(Trigger::Url)]);
    i = SkipToColonOrDot(u, e, n);
  }
  // '@': local part before, domain after; "%40" is a URL-encoded '@' (an address in a query
  // string). Both in one pass in text order (regions are added in order).
  auto email_at = [&](size_t at, size_t width) {
    size_t b = at, e = at + width;
    while (b > 0 && at - b < 64 && (IsAlnum(t[b - 1]) || std::strchr("._%+-", t[b - 1]))) --b;
    while (e < n && e - at < 256 && (IsAlnum(t[e]) || t[e] == '.' || t[e] == '-')) ++e;
    AddRegion(&out[size_t(Trigger::Email)], b, e);
  };
  constexpr size_t npos = std::string_view::npos;
  for (size_t at = t.find('@'), pct = t.find('%'); at != npos || pct != npos;) {
    if (at < pct) {
      email_at(at, 1);
      at = t.find('@', at + 1);
    } else {
      if (pct + 2 < n && t[pct + 1] == '4' && t[pct + 2] == '0') email_at(pct, 3);
      pct = t.find('%', pct + 1);
    }
  }
  // "-----BEGIN": found from its 'G', a rarer byte than '-' (std::string_view::find stops at every
  // '-', hyphens being common in prose, and compares there).
  for (const void* g = std::memchr(u, 'G', n); g;) {
    size_t at = size_t(static_cast<const uint8_t*>(g) - u);
    if (at >= 7 && std::memcmp(u + at - 7, "-----BE", 7) == 0 && at + 2 < n && u[at + 1] == 'I' && u[at + 2] == 'N') {
      AddRegion(&out[size_t(Trigger::PemBlock)], at - 7, n);
      break;
    }
    g = at + 1 < n ? std::memchr(u + at + 1, 'G', n - at - 1) : nullptr;
  }
  // JWTs start with "eyJ" (base64 of '{"'); 'J' is rare, 'e' is not, so look for the 'J'.
  for (size_t j = t.find('J', 2); j != std::string_view::npos; j = t.find('J', j + 1)) {
    if (t[j - 1] != 'y' || t[j - 2] != 'e') continue;
    size_t p = j - 2, e = j + 1;
    while (e < n && (IsAlnum(t[e]) || t[e] == '_' || t[e] == '-' || t[e] == '.')) ++e;
    if (e - p >= 30) AddRegion(&out[size_t(Trigger::Jwt)], p, e);
    j = e - 1;
  }
}

}  // namespace

// [SECTION] scanner
namespace {
// The anchors (DetectorDef::anchors) of every Token detector, by first byte: one pass over a
// region says which of those detectors can match in it (a bit each), instead of one RE2 call each.
// Token regions are the most common kind in dense text (ids, hashes, paths), so the pass is kept
// lean: a byte whose literals' bits are all found already (or that starts none: most letters)
// costs one table load, the literals sit in one flat array, and the pass stops once every bit is
// found ('1', '3' and '-' are whole anchors, so that is soon in most tokens).
struct TokenAnchors {
  struct Literal {
    std::string text;
    uint32_t bit;
  };
  std::vector<Literal> lits;       // ordered by first byte
  uint32_t first_bits[256] = {};   // per first byte: the union of its literals' bits
  uint16_t first_at[257] = {};     // per first byte: its literals are lits[first_at[b], first_at[b + 1])
  uint32_t all_bits = 0;
  void Add(std::string lit, uint32_t bit) {
    const unsigned char b0 = static_cast<unsigned char>(lit[0]);
    lits.insert(lits.begin() + first_at[b0 + 1], Literal{std::move(lit), bit});
    for (size_t b = b0 + 1; b <= 256; ++b) ++first_at[b];
    first_bits[b0] |= bit;
    all_bits |= bit;
  }
  uint32_t Present(std::string_view r) const {
    uint32_t bits = 0;
    const unsigned char* u = reinterpret_cast<const unsigned char*>(r.data());
    for (size_t i = 0; i < r.size() && bits != all_bits; ++i) {
      if (!(first_bits[u[i]] & ~bits)) continue;
      for (size_t k = first_at[u[i]]; k < first_at[u[i] + 1]; ++k) {
        const Literal& l = lits[k];
        if (bits & l.bit || r.size() - i < l.text.size()) continue;
        size_t j = 1;
        while (j < l.text.size() && u[i + j] == static_cast<unsigned char>(l.text[j])) ++j;  // short literals: no memcmp call
        if (j == l.text.size()) bits |= l.bit;
      }
    }
    return bits;
  }
};
}  // namespace

struct PiiScanner::Impl {
  std::vector<DetectorDef> defs;
  std::vector<std::unique_ptr<RE2>> res;  // one per def (nullptr when it failed to compile)
  TokenAnchors token_anchors;
  std::vector<uint32_t> anchor_bit;       // per def: its bit in TokenAnchors (0 = no anchors)
  std::vector<std::vector<std::string>> anchor_lits;  // per def: its anchors (DetectorDef::anchors)
  std::vector<bool> word_start;  // per def with anchors_prefix: the pattern begins with \b, each prefix with a word byte
  // Every Numeric pattern in one RE2::Set: one call per numeric region says which of them can
  // match there, instead of one call per pattern (RE2's per-call cost is what dominates); those
  // then run their hand-written matcher (DetectorDef::shape) or, without one, RE2.
  std::unique_ptr<RE2::Set> numeric_set;
  std::vector<size_t> numeric_defs;  // set index -> def index
  std::vector<size_t> plain_by_trigger[kTriggerCount];  // compiled defs outside numeric_set, in order
  // The context-word lists of defs that need one (DetectorDef::context_words), one bit each.
  ContextWordSets context_sets;
  std::vector<int> context_bit;  // per def: its list's bit, -1 = none
};

PiiScanner::PiiScanner() : m_impl(new Impl) {
  Impl& m = *m_impl;
  m.defs = AllDetectors();
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingLatin1);  // byte offsets; patterns are ASCII
  o.set_log_errors(false);
  o.set_max_mem(32 << 20);
  m.numeric_set = std::make_unique<RE2::Set>(o, RE2::UNANCHORED);
  int next_bit = 0;
  for (size_t i = 0; i < m.defs.size(); ++i) {
    const DetectorDef& d = m.defs[i];
    auto re = std::make_unique<RE2>(d.pattern, o);
    if (!re->ok()) {
      ++m_bad_patterns;
      re.reset();
    } else if (d.trigger == Trigger::Numeric && m.numeric_set->Add(d.pattern, nullptr) >= 0) {
      m.numeric_defs.push_back(i);
    }
    m.res.push_back(std::move(re));
    uint32_t bit = 0;
    std::vector<std::string> lits;
    if (d.anchors) {
      // Token detectors' anchors also go into the one-pass table (a bit each, 32 at most).
      if (d.trigger == Trigger::Token && next_bit < 32) bit = 1u << next_bit++;
      for (std::string_view a = d.anchors; !a.empty();) {
        size_t bar = a.find('|');
        std::string lit(a.substr(0, bar));
        if (!lit.empty()) {
          if (bit) m.token_anchors.Add(lit, bit);
          lits.push_back(lit);
        }
        a = bar == std::string_view::npos ? std::string_view() : a.substr(bar + 1);
      }
    }
    m.word_start.push_back(d.anchors_prefix && PrefixesStartWords(d.pattern, lits));
    m.anchor_lits.push_back(std::move(lits));
    m.anchor_bit.push_back(bit);
  }
  std::vector<std::pair<const void*, int>> lists;  // one bit per distinct list
  for (const DetectorDef& d : m.defs) {
    int bit = -1;
    if (d.context_words) {
      const std::vector<std::string_view>& words = d.context_words();
      for (const auto& [p, b] : lists) {
        if (p == &words) bit = b;
      }
      if (bit < 0) {
        bit = m.context_sets.Add(words);
        if (bit >= 0) lists.push_back({&words, bit});
      }
    }
    m.context_bit.push_back(bit);  // -1 also when 32 lists are held: that def then always runs
  }
  if (m.numeric_defs.empty() || !m.numeric_set->Compile()) {
    m.numeric_set.reset();  // then every numeric pattern runs on its own
    m.numeric_defs.clear();
  }
  std::vector<bool> in_set(m.defs.size(), false);
  for (size_t di : m.numeric_defs) in_set[di] = true;
  for (size_t di = 0; di < m.defs.size(); ++di) {
    if (m.res[di] && !in_set[di]) m.plain_by_trigger[size_t(m.defs[di].trigger)].push_back(di);
  }
}

PiiScanner::~PiiScanner() = default;

const PiiScanner& PiiScanner::Get() {
  static const PiiScanner scanner;
  return scanner;
}

namespace {
struct Candidate {
  uint32_t begin, end;
  PiiType type;
  uint8_t confidence;
};
size_t DigitsIn(std::string_view t, size_t b, size_t e) {
  size_t k = 0;
  for (size_t i = b; i < e; ++i) k += IsDigit(t[i]);
  return k;
}
// Per-thread buffers reused by every Find() call (a call allocates nothing once they have grown).
struct Scratch {
  std::vector<Region> regions[kTriggerCount];
  std::vector<Candidate> cands, kept;
  std::vector<uint32_t> token_bits;
  std::vector<int> hit;
};
}  // namespace

void PiiScanner::Find(std::string_view text, const ScanOptions& opt, std::vector<PiiSpan>* out) const {
  const Impl& m = *m_impl;
  if (text.empty() || text.size() > 0xfffffff0u) return;
  thread_local Scratch scratch;
  Scratch& sc = scratch;
  std::vector<Region>(&regions)[kTriggerCount] = sc.regions;
  for (std::vector<Region>& r : regions) r.clear();
  FindRegions(text, regions);

  std::vector<Candidate>& cands = sc.cands;
  cands.clear();
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece match;
  // Runs def di over a region: every candidate the pattern proposes is validated; after a hit the
  // search goes on after it, after a rejected candidate from its second byte. Before each RE2 call
  // (the cost that matters) cheap necessary conditions are checked on what is left of the region:
  // the digits a numeric pattern needs, a Token anchor, the detector's could_match.
  const Region* ctx_region = nullptr;
  uint32_t ctx_bits = 0;
  auto run = [&](size_t di, const Region& r) {
    const DetectorDef& d = m.defs[di];
    const RE2* re = m.res[di].get();
    if (!re || !opt.enabled[size_t(d.type)] || r.digits < d.min_digits) return;
    if (m.context_bit[di] >= 0 && d.max_without_context < opt.min_confidence) {
      if (ctx_region != &r) {  // every context list near this region, found once for all detectors
        ctx_region = &r;
        ctx_bits = m.context_sets.Near(text, r.begin, r.end);
      }
      if (!(ctx_bits >> m.context_bit[di] & 1)) return;  // no context word: cannot reach min_confidence
    }
    const bool count_digits = d.trigger == Trigger::Numeric && d.min_digits > 0;
    const std::vector<std::string>& anchors = m.anchor_lits[di];
    size_t pos = r.begin;
    while (pos <= r.end) {
      if (count_digits && DigitsIn(text, pos, r.end) < d.min_digits) break;
      if (pos > r.begin && !anchors.empty()) {
        bool any = false;
        for (const std::string& a : anchors) any = any || HasLiteral(text, pos, r.end, a);
        if (!any) break;
      }
      if (d.could_match && !d.could_match(text, pos, r.end)) break;
      if (d.shape != NumericShape::None) {  // the hand-written matcher of the same pattern
        size_t mb = 0, me = 0;
        if (!MatchNumericShape(d.shape, text, pos, r.end, &mb, &me)) break;
        match = re2::StringPiece(text.data() + mb, me - mb);
      } else if (d.anchors_prefix && !anchors.empty()) {  // anchored at the prefixes' occurrences
        size_t mb = 0, me = 0;
        if (!SearchFromPrefixes(*re, anchors, m.word_start[di], text, pos, r.end, &mb, &me)) break;
        match = re2::StringPiece(text.data() + mb, me - mb);
      } else if (!re->Match(input, pos, r.end, RE2::UNANCHORED, &match, 1)) {
        break;
      }
      size_t b = size_t(match.data() - text.data());
      size_t e = b + match.size();
      if (count_digits && DigitsIn(text, b, e) < d.min_digits) {
        pos = b + 1;
        continue;
      }
      size_t vb = b, ve = e;
      int conf = d.validate(text, &vb, &ve, opt.detect);
      if (conf >= opt.min_confidence && ve > vb) {
        cands.push_back(Candidate{uint32_t(vb), uint32_t(ve), d.type, uint8_t(std::min(conf, 100))});
        pos = e > b ? e : b + 1;
      } else {
        pos = b + 1;  // a shorter / later candidate may still start inside this one
      }
    }
  };
  // Numeric regions: the set names the patterns that match somewhere in the region (given one
  // byte of context each side, so \b sees what Match sees: a superset); only those run.
  if (m.numeric_set) {
    std::vector<int>& hit = sc.hit;
    for (const Region& r : regions[size_t(Trigger::Numeric)]) {
      size_t wb = r.begin > 0 ? r.begin - 1 : 0, we = std::min<size_t>(text.size(), size_t(r.end) + 1);
      hit.clear();
      RE2::Set::ErrorInfo err{RE2::Set::kNoError};
      if (!m.numeric_set->Match(re2::StringPiece(text.data() + wb, we - wb), &hit, &err)) {
        if (err.kind == RE2::Set::kNoError) continue;  // nothing can match here
        for (size_t di : m.numeric_defs) run(di, r);  // the set's DFA ran out of memory: run all
        continue;
      }
      std::sort(hit.begin(), hit.end());
      for (int h : hit) run(m.numeric_defs[size_t(h)], r);
    }
  }
  const std::vector<Region>& tokens = regions[size_t(Trigger::Token)];
  std::vector<uint32_t>& token_bits = sc.token_bits;
  token_bits.resize(tokens.size());
  for (size_t k = 0; k < tokens.size(); ++k) {
    token_bits[k] = m.token_anchors.Present(text.substr(tokens[k].begin, tokens[k].end - tokens[k].begin));
  }
  // By trigger, so a text without regions of a kind (most texts have none at all) skips its
  // detectors at once. The order of the calls does not change the result: the overlap resolution
  // below orders candidates by their own fields, and candidates equal in all of them are the same.
  for (size_t t = 0; t < kTriggerCount; ++t) {
    const std::vector<Region>& rs = regions[t];
    if (rs.empty()) continue;
    for (size_t di : m.plain_by_trigger[t]) {
      const DetectorDef& d = m.defs[di];
      if (!opt.enabled[size_t(d.type)]) continue;
      for (size_t k = 0; k < rs.size(); ++k) {
        if (m.anchor_bit[di] && !(token_bits[k] & m.anchor_bit[di])) continue;  // no anchor in this token
        run(di, rs[k]);
      }
    }
  }
  if (cands.empty()) return;

  // Resolve overlaps: most confident first, then longest, then leftmost, then type order.
  std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
    if (a.begin != b.begin) return a.begin < b.begin;
    return a.type < b.type;
  });
  std::vector<Candidate>& kept = sc.kept;  // sorted by begin, disjoint
  kept.clear();
  for (const Candidate& c : cands) {
    auto it = std::lower_bound(kept.begin(), kept.end(), c.begin,
                               [](const Candidate& k, uint32_t pos) { return k.end <= pos; });
    if (it != kept.end() && it->begin < c.end) continue;  // overlaps an accepted span
    kept.insert(it, c);
  }
  for (const Candidate& c : kept) out->push_back(PiiSpan{c.begin, c.end, c.type, c.confidence});
}

}  // namespace winnow::pii
