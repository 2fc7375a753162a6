// NumericShape: the patterns of the Numeric-trigger detectors (cards, phones, national ids, SSN,
// IPv4) matched by a small hand-written matcher instead of RE2. Why: these patterns are fixed
// shapes of digit groups and single separators, and in dense text (a support log full of ids) the
// scanner asks for them thousands of times in regions of a few dozen bytes, where RE2's cost per
// call (an RE2::Set call to pick the patterns, then two DFA passes and a lock per Match) is ~500
// cycles and dominated the whole scan; a step of this matcher costs a few. Each shape is written
// from its detector's RE2 pattern, which stays the specification: numeric_shape_test compares
// the two on random text, start and end positions (leftmost-first match, greedy, \b as RE2 sees
// it in Latin-1 mode: ASCII [0-9A-Za-z_] only, with the bytes around [pos, end) as context).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace winnow::pii {

enum class NumericShape : uint8_t {
  None,       // not hand-matched: the scanner runs the RE2 pattern
  Card,       // \b[0-9](?:[ \-]?[0-9]){12,18}\b
  Ipv4,       // \b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b
  UkNhs,      // \b[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{4}\b
  EsNif,      // \b[0-9]{8}[\- ]?[A-Za-z]\b
  EsNie,      // \b[XYZxyz][\- ]?[0-9]{7}[\- ]?[A-Za-z]\b
  InAadhaar,  // \b[2-9][0-9]{3}[ \-]?[0-9]{4}[ \-]?[0-9]{4}\b
  PlPesel,    // \b[0-9]{11}\b
  AuAbn,      // \b[1-9][0-9] ?[0-9]{3} ?[0-9]{3} ?[0-9]{3}\b
  AuTfn,      // \b[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{2,3}\b
  CaSin,      // \b[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{3}\b
  DeTaxId,    // \b[1-9][0-9](?: ?[0-9]{3}){3}\b
  PhoneIntl,  // \+[1-9][0-9 .\-()]{5,22}[0-9]
  PhoneNa,    // (?:\b1[ .\-])?(?:\([2-9][0-9]{2}\)[ .\-]?|\b[2-9][0-9]{2}[ .\-])[2-9][0-9]{2}[ .\-][0-9]{4}\b
  PhoneEu,    // \b0[1-9][0-9]{0,4}(?:[ .\-/][0-9]{2,8}){1,4}\b
  PhoneBare,  // \b[2-9][0-9]{2}[2-9][0-9]{6}\b|\b0[1-9][0-9]{8,10}\b
  UsSsn,      // \b[0-9]{3}-[0-9]{2}-[0-9]{4}\b|\b[0-9]{3} [0-9]{2} [0-9]{4}\b|\b[0-9]{9}\b
};

// The leftmost-first match of `shape`'s pattern that lies inside text[pos, end) (bytes outside
// are context for \b only), as RE2::Match(text, pos, end, UNANCHORED) of the pattern finds it:
// true with [*b, *e) set, false when there is none. Requires pos <= end <= text.size().
bool MatchNumericShape(NumericShape shape, std::string_view text, size_t pos, size_t end, size_t* b, size_t* e);

}  // namespace winnow::pii
