#include "pii/pii_scanner.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace winnow::pii {

// [SECTION] regions: one pass over the text finds where each Trigger's patterns can match.
namespace {

struct Region {
  uint32_t begin, end;
  uint32_t digits;  // digits inside (Numeric only)
};

enum ByteClass : uint8_t { kNum = 1, kTok = 2, kHex = 4, kDigit = 8, kUpper = 16 };

struct ClassTable {
  uint8_t c[256] = {};
  ClassTable() {
    for (int i = '0'; i <= '9'; ++i) c[i] |= kNum | kTok | kHex | kDigit;
    for (const char* p = " .-()/+"; *p; ++p) c[uint8_t(*p)] |= kNum;
    for (int i = 'a'; i <= 'z'; ++i) c[i] |= kTok;
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

// Index of the first ASCII digit at or after i (n when none): eight bytes at a time, using the
// "has a byte between m and n" bit trick (exact for detection: bytes >= 0x80 never count).
size_t SkipToDigit(const uint8_t* u, size_t i, size_t n) {
  constexpr uint64_t k1 = 0x0101010101010101ull, k127 = k1 * 127, k128 = k1 * 128;
  while (i + 8 <= n) {
    uint64_t x;
    std::memcpy(&x, u + i, 8);
    uint64_t has = ((k1 * (127 + ('9' + 1)) - (x & k127)) & ~x & ((x & k127) + k1 * (127 - ('0' - 1)))) & k128;
    if (has) break;
    i += 8;
  }
  while (i < n && !(u[i] >= '0' && u[i] <= '9')) ++i;
  return i;
}

void FindRegions(std::string_view t, std::vector<Region> (&out)[kTriggerCount]) {
  const size_t n = t.size();
  const uint8_t* c = kClass.c;
  const uint8_t* u = reinterpret_cast<const uint8_t*>(t.data());
  // Numeric: from each digit, the whole run of digits and [ .-()/+] around it. Ordinary prose
  // costs one table lookup per byte. IBAN starts are checked at each digit run too.
  for (size_t i = 0; i < n;) {
    i = SkipToDigit(u, i, n);
    if (i >= n) break;
    if (i >= 2 && i + 1 < n && (c[u[i - 1]] & kUpper) && (c[u[i - 2]] & kUpper) && (c[u[i + 1]] & kDigit) &&
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
  // Token runs of 14+ bytes, found by probing every 14th byte: a byte outside the class rules out
  // every run that would have to cross it, so prose is mostly skipped, not read.
  constexpr size_t kMinTok = 14;
  for (size_t i = 0; i + kMinTok <= n;) {
    size_t p = i + kMinTok - 1;
    if (!(c[u[p]] & kTok)) {
      i = p + 1;
      continue;
    }
    size_t q = p;
    while (q > i && (c[u[q - 1]] & kTok)) --q;
    if (q > i) {  // a non-token byte at q-1 within the window: restart after it
      i = q;
      continue;
    }
    size_t b = i;
    while (b > 0 && (c[u[b - 1]] & kTok)) --b;
    size_t e = p + 1;
    while (e < n && (c[u[e]] & kTok)) ++e;
    AddRegion(&out[size_t(Trigger::Token)], b, e);
    if (e - b >= 40) AddRegion(&out[size_t(Trigger::TokenLong)], b >= 48 ? b - 48 : 0, e);
    i = e + 1;
  }
  // Hex runs around ':' (IPv6, MAC with colons) and '.' (Cisco-dotted MAC); MACs with dashes are
  // tokens and covered above by their own detector.
  for (char sep : {':', '.'}) {
    size_t last_end = 0;
    for (const void* hit = std::memchr(t.data(), sep, n); hit;) {
      size_t i = size_t(static_cast<const char*>(hit) - t.data());
      size_t b = i, e = i;
      if (i >= last_end) {
        while (b > 0 && (c[u[b - 1]] & kHex)) --b;
        while (e < n && (c[u[e]] & kHex)) ++e;
        uint32_t colons = 0, dots = 0, hex = 0;
        for (size_t k = b; k < e; ++k) {
          colons += u[k] == ':';
          dots += u[k] == '.';
          hex += (c[u[k]] & kTok) != 0;
        }
        if ((sep == ':' && colons >= 2) || (sep == '.' && colons == 0 && dots >= 2 && hex >= 12)) {
          AddRegion(&out[size_t(Trigger::HexColon)], b > 0 ? b - 1 : 0, std::min(n, e + 1));
        }
        last_end = e;
      }
      size_t next = std::max(i + 1, e);
      hit = next < n ? std::memchr(t.data() + next, sep, n - next) : nullptr;
    }
  }
  // '@': local part before, domain after.
  for (const char* p = static_cast<const char*>(std::memchr(t.data(), '@', n)); p;
       p = static_cast<const char*>(std::memchr(p + 1, '@', n - size_t(p + 1 - t.data())))) {
    size_t at = size_t(p - t.data());
    size_t b = at, e = at + 1;
    while (b > 0 && at - b < 64 && (IsAlnum(t[b - 1]) || std::strchr("._%+-", t[b - 1]))) --b;
    while (e < n && e - at < 256 && (IsAlnum(t[e]) || t[e] == '.' || t[e] == '-')) ++e;
    AddRegion(&out[size_t(Trigger::Email)], b, e);
    if (e >= n) break;
  }
  // "://": scheme before, up to the next space after.
  for (size_t p = t.find("://"); p != std::string_view::npos; p = t.find("://", p + 3)) {
    size_t b = p, e = p + 3;
    while (b > 0 && p - b < 16 && (IsAlnum(t[b - 1]) || t[b - 1] == '+' || t[b - 1] == '.' || t[b - 1] == '-')) --b;
    while (e < n && e - p < 2048 && !std::strchr(" \t\r\n\"'<>", t[e])) ++e;
    AddRegion(&out[size_t(Trigger::Url)], b, e);
  }
  size_t pem = t.find("-----BEGIN");
  if (pem != std::string_view::npos) AddRegion(&out[size_t(Trigger::PemBlock)], pem, n);
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
struct TokenAnchors {
  struct Literal {
    std::string text;
    uint32_t bit;
  };
  std::vector<Literal> by_first[256];
  uint32_t Present(std::string_view r) const {
    uint32_t bits = 0;
    for (size_t i = 0; i < r.size(); ++i) {
      for (const Literal& l : by_first[static_cast<unsigned char>(r[i])]) {
        if (r.compare(i, l.text.size(), l.text) == 0) bits |= l.bit;
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
  // Every Numeric pattern in one RE2::Set: one call per numeric region says which of them can
  // match there, instead of one call per pattern (RE2's per-call cost is what dominates).
  std::unique_ptr<RE2::Set> numeric_set;
  std::vector<size_t> numeric_defs;  // set index -> def index
  std::vector<bool> in_set;          // per def: runs through numeric_set
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
    if (d.anchors && d.trigger == Trigger::Token && next_bit < 32) {
      bit = 1u << next_bit++;
      for (std::string_view a = d.anchors; !a.empty();) {
        size_t bar = a.find('|');
        std::string lit(a.substr(0, bar));
        if (!lit.empty()) m.token_anchors.by_first[static_cast<unsigned char>(lit[0])].push_back({lit, bit});
        a = bar == std::string_view::npos ? std::string_view() : a.substr(bar + 1);
      }
    }
    m.anchor_bit.push_back(bit);
  }
  m.in_set.assign(m.defs.size(), false);
  if (!m.numeric_set->Compile()) {
    m.numeric_set.reset();  // then every numeric pattern runs on its own
    m.numeric_defs.clear();
  }
  for (size_t di : m.numeric_defs) m.in_set[di] = true;
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
}  // namespace

void PiiScanner::Find(std::string_view text, const ScanOptions& opt, std::vector<PiiSpan>* out) const {
  const Impl& m = *m_impl;
  if (text.empty() || text.size() > 0xfffffff0u) return;
  std::vector<Region> regions[kTriggerCount];
  FindRegions(text, regions);

  std::vector<Candidate> cands;
  re2::StringPiece input(text.data(), text.size());
  re2::StringPiece match;
  auto run = [&](size_t di, const Region& r) {
    const DetectorDef& d = m.defs[di];
    const RE2* re = m.res[di].get();
    if (!re || !opt.enabled[size_t(d.type)] || r.digits < d.min_digits) return;
    size_t pos = r.begin;
    while (pos <= r.end && re->Match(input, pos, r.end, RE2::UNANCHORED, &match, 1)) {
      size_t b = size_t(match.data() - text.data());
      size_t e = b + match.size();
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
    std::vector<int> hit;
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
  std::vector<uint32_t> token_bits(tokens.size());
  for (size_t k = 0; k < tokens.size(); ++k) {
    token_bits[k] = m.token_anchors.Present(text.substr(tokens[k].begin, tokens[k].end - tokens[k].begin));
  }
  for (size_t di = 0; di < m.defs.size(); ++di) {
    const DetectorDef& d = m.defs[di];
    if (m.in_set[di]) continue;
    if (!m.res[di] || !opt.enabled[size_t(d.type)]) continue;
    const std::vector<Region>& rs = regions[size_t(d.trigger)];
    for (size_t k = 0; k < rs.size(); ++k) {
      if (m.anchor_bit[di] && !(token_bits[k] & m.anchor_bit[di])) continue;  // no anchor in this token
      run(di, rs[k]);
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
  std::vector<Candidate> kept;  // sorted by begin, disjoint
  for (const Candidate& c : cands) {
    auto it = std::lower_bound(kept.begin(), kept.end(), c.begin,
                               [](const Candidate& k, uint32_t pos) { return k.end <= pos; });
    if (it != kept.end() && it->begin < c.end) continue;  // overlaps an accepted span
    kept.insert(it, c);
  }
  for (const Candidate& c : kept) out->push_back(PiiSpan{c.begin, c.end, c.type, c.confidence});
}

}  // namespace winnow::pii
