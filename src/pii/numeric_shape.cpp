#include "pii/numeric_shape.h"

namespace winnow::pii {

// [SECTION] the matcher: a pattern is a list of alternatives, each a sequence of elements tried
// depth first with backtracking, in RE2's (Perl's) order of preference: alternatives left to
// right, greedy counts from the most down, an optional byte taken before it is skipped. The first
// success at the leftmost start is the match, as RE2 reports it.
namespace {

// \b as RE2 sees it in Latin-1 mode: ASCII word bytes only.
inline bool W(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
inline bool D(unsigned char c) { return c >= '0' && c <= '9'; }
inline bool Letter(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

struct Text {
  const unsigned char* u;
  size_t n;      // the whole text: context for \b
  size_t limit;  // no byte at or after it may be consumed
  bool Boundary(size_t p) const {
    const bool before = p > 0 && W(u[p - 1]), after = p < n && W(u[p]);
    return before != after;
  }
};

enum Op : uint8_t { kEnd, kB, kDigits, kChar, kOpt, kLetter };
struct El {
  Op op;
  uint8_t min = 1, max = 1;    // kDigits: count, greedy
  char lo = '0', hi = '9';     // kDigits: every digit in [lo, hi]
  const char* set = nullptr;   // kChar / kOpt: the bytes allowed
};
constexpr size_t npos = static_cast<size_t>(-1);

inline bool InSet(const char* set, unsigned char c) {
  for (const char* p = set; *p; ++p) {
    if (static_cast<unsigned char>(*p) == c) return true;
  }
  return false;
}

// End of a match of el... at p, or npos.
size_t MatchAt(const El* el, const Text& t, size_t p) {
  switch (el->op) {
    case kEnd:
      return p;
    case kB:
      return t.Boundary(p) ? MatchAt(el + 1, t, p) : npos;
    case kChar:
      return p < t.limit && InSet(el->set, t.u[p]) ? MatchAt(el + 1, t, p + 1) : npos;
    case kLetter:
      return p < t.limit && Letter(t.u[p]) ? MatchAt(el + 1, t, p + 1) : npos;
    case kOpt:
      if (p < t.limit && InSet(el->set, t.u[p])) {
        size_t r = MatchAt(el + 1, t, p + 1);
        if (r != npos) return r;
      }
      return MatchAt(el + 1, t, p);
    case kDigits: {
      size_t k = 0;
      while (k < el->max && p + k < t.limit && t.u[p + k] >= el->lo && t.u[p + k] <= el->hi) ++k;
      if (k < el->min) return npos;
      for (;; --k) {
        size_t r = MatchAt(el + 1, t, p + k);
        if (r != npos) return r;
        if (k == el->min) return npos;
      }
    }
  }
  return npos;
}

constexpr El B{kB};
constexpr El E{kEnd};
constexpr El Dg(uint8_t n) { return El{kDigits, n, n}; }
constexpr El Dg(uint8_t lo, uint8_t hi) { return El{kDigits, lo, hi}; }
constexpr El In(char lo, char hi) { return El{kDigits, 1, 1, lo, hi}; }
constexpr El C(const char* set) { return El{kChar, 1, 1, '0', '9', set}; }
constexpr El O(const char* set) { return El{kOpt, 1, 1, '0', '9', set}; }
constexpr El L{kLetter};

// The patterns (see numeric_shape.h), one array per alternative.
constexpr El kIpv4[] = {B, Dg(1, 3), C("."), Dg(1, 3), C("."), Dg(1, 3), C("."), Dg(1, 3), B, E};
constexpr El kNhs[] = {B, Dg(3), O(" -"), Dg(3), O(" -"), Dg(4), B, E};
constexpr El kNif[] = {B, Dg(8), O("- "), L, B, E};
constexpr El kNie[] = {B, C("XYZxyz"), O("- "), Dg(7), O("- "), L, B, E};
constexpr El kAadhaar[] = {B, In('2', '9'), Dg(3), O(" -"), Dg(4), O(" -"), Dg(4), B, E};
constexpr El kPesel[] = {B, Dg(11), B, E};
constexpr El kAbn[] = {B, In('1', '9'), Dg(1), O(" "), Dg(3), O(" "), Dg(3), O(" "), Dg(3), B, E};
constexpr El kTfn[] = {B, Dg(3), O(" -"), Dg(3), O(" -"), Dg(2, 3), B, E};
constexpr El kSin[] = {B, Dg(3), O(" -"), Dg(3), O(" -"), Dg(3), B, E};
constexpr El kDeTax[] = {B, In('1', '9'), Dg(1), O(" "), Dg(3), O(" "), Dg(3), O(" "), Dg(3), B, E};
// North-American: (?:\b1[ .\-])? then the area code in parentheses or not.
#define NA_PREFIX B, C("1"), C(" .-")
#define NA_PAREN C("("), In('2', '9'), Dg(2), C(")"), O(" .-")
#define NA_PLAIN B, In('2', '9'), Dg(2), C(" .-")
#define NA_REST In('2', '9'), Dg(2), C(" .-"), Dg(4), B, E
constexpr El kNa1[] = {NA_PREFIX, NA_PAREN, NA_REST};
constexpr El kNa2[] = {NA_PREFIX, NA_PLAIN, NA_REST};
constexpr El kNa3[] = {NA_PAREN, NA_REST};
constexpr El kNa4[] = {NA_PLAIN, NA_REST};
#undef NA_PREFIX
#undef NA_PAREN
#undef NA_PLAIN
#undef NA_REST
// European: the repetition {1,4} of a separated group, most repetitions first.
#define EU_HEAD B, C("0"), In('1', '9'), Dg(0, 4)
#define EU_GROUP C(" .-/"), Dg(2, 8)
constexpr El kEu4[] = {EU_HEAD, EU_GROUP, EU_GROUP, EU_GROUP, EU_GROUP, B, E};
constexpr El kEu3[] = {EU_HEAD, EU_GROUP, EU_GROUP, EU_GROUP, B, E};
constexpr El kEu2[] = {EU_HEAD, EU_GROUP, EU_GROUP, B, E};
constexpr El kEu1[] = {EU_HEAD, EU_GROUP, B, E};
#undef EU_HEAD
#undef EU_GROUP
constexpr El kBare1[] = {B, In('2', '9'), Dg(2), In('2', '9'), Dg(6), B, E};
constexpr El kBare2[] = {B, C("0"), In('1', '9'), Dg(8, 10), B, E};
constexpr El kSsn1[] = {B, Dg(3), C("-"), Dg(2), C("-"), Dg(4), B, E};
constexpr El kSsn2[] = {B, Dg(3), C(" "), Dg(2), C(" "), Dg(4), B, E};
constexpr El kSsn3[] = {B, Dg(9), B, E};

// Card: \b[0-9](?:[ \-]?[0-9]){12,18}\b. Each step of the repetition is forced by the text (a
// separator is taken only with the digit after it, and separators are not digits), so the digit
// ends are found in one walk; the greedy count then backs off to the last end \b allows.
size_t MatchCard(const Text& t, size_t p) {
  if (!t.Boundary(p) || p >= t.limit || !D(t.u[p])) return npos;
  size_t at = p + 1, best = npos;
  for (int n = 1; n < 19; ++n) {  // n digits so far, ending at `at`
    if (at < t.limit && (t.u[at] == ' ' || t.u[at] == '-') && at + 1 < t.limit && D(t.u[at + 1])) {
      at += 2;
    } else if (at < t.limit && D(t.u[at])) {
      at += 1;
    } else {
      break;
    }
    if (n + 1 >= 13 && t.Boundary(at)) best = at;
  }
  return best;
}

// International phone: \+[1-9][0-9 .\-()]{5,22}[0-9] — the longest run of the class (at most 22
// bytes) that a digit follows.
size_t MatchIntl(const Text& t, size_t p) {
  if (p + 1 >= t.limit || t.u[p] != '+' || t.u[p + 1] < '1' || t.u[p + 1] > '9') return npos;
  const size_t q = p + 2;
  auto in_class = [&](unsigned char c) { return D(c) || c == ' ' || c == '.' || c == '-' || c == '(' || c == ')'; };
  size_t run = 0;  // class bytes from q, up to 23 (22 for the repetition, one more for the digit)
  while (run < 23 && q + run < t.limit && in_class(t.u[q + run])) ++run;
  for (size_t k = run > 22 ? 22 : run; k >= 5; --k) {
    if (q + k < t.limit && D(t.u[q + k])) return q + k + 1;
    if (k == 5) break;
  }
  return npos;
}

struct Alternatives {
  const El* alt[4];
  size_t count;
};

}  // namespace

bool MatchNumericShape(NumericShape shape, std::string_view text, size_t pos, size_t end, size_t* b, size_t* e) {
  Text t{reinterpret_cast<const unsigned char*>(text.data()), text.size(), end};
  Alternatives alts{};
  size_t (*special)(const Text&, size_t) = nullptr;
  switch (shape) {
    case NumericShape::None: return false;
    case NumericShape::Card: special = MatchCard; break;
    case NumericShape::PhoneIntl: special = MatchIntl; break;
    case NumericShape::Ipv4: alts = {{kIpv4}, 1}; break;
    case NumericShape::UkNhs: alts = {{kNhs}, 1}; break;
    case NumericShape::EsNif: alts = {{kNif}, 1}; break;
    case NumericShape::EsNie: alts = {{kNie}, 1}; break;
    case NumericShape::InAadhaar: alts = {{kAadhaar}, 1}; break;
    case NumericShape::PlPesel: alts = {{kPesel}, 1}; break;
    case NumericShape::AuAbn: alts = {{kAbn}, 1}; break;
    case NumericShape::AuTfn: alts = {{kTfn}, 1}; break;
    case NumericShape::CaSin: alts = {{kSin}, 1}; break;
    case NumericShape::DeTaxId: alts = {{kDeTax}, 1}; break;
    case NumericShape::PhoneNa: alts = {{kNa1, kNa2, kNa3, kNa4}, 4}; break;
    case NumericShape::PhoneEu: alts = {{kEu4, kEu3, kEu2, kEu1}, 4}; break;
    case NumericShape::PhoneBare: alts = {{kBare1, kBare2}, 2}; break;
    case NumericShape::UsSsn: alts = {{kSsn1, kSsn2, kSsn3}, 3}; break;
  }
  // Every pattern starts with \b before a digit or 'X'..'z' (a word byte after a non-word one),
  // with '(' (North-American) or with '+' (international): other starts are passed over.
  const bool paren = shape == NumericShape::PhoneNa, plus = shape == NumericShape::PhoneIntl;
  for (size_t s = pos; s < end; ++s) {
    const unsigned char c = t.u[s];
    if (plus) {
      if (c != '+') continue;
    } else if (!(paren && c == '(') && !(W(c) && (s == 0 || !W(t.u[s - 1])))) {
      continue;
    }
    size_t r = npos;
    if (special) {
      r = special(t, s);
    } else {
      for (size_t a = 0; a < alts.count && r == npos; ++a) r = MatchAt(alts.alt[a], t, s);
    }
    if (r != npos) {
      *b = s;
      *e = r;
      return true;
    }
  }
  return false;
}

}  // namespace winnow::pii
