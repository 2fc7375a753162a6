// Detector: how one kind of entity is found — an RE2 pattern that proposes candidate spans and a
// validator (checksums, shape rules, context words) that accepts them with a confidence or
// rejects them. Each detect_<kind>.cpp adds its detectors; PiiScanner runs them all.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pii/numeric_shape.h"
#include "pii/pii_type.h"

namespace winnow::pii {

struct DetectOptions {
  bool keep_private_ip = false;  // IPv4/IPv6 in private, loopback and link-local ranges are not hits
};

// Returns a confidence 0..100 that text[*begin, *end) is the entity (0 = reject). May narrow the
// span (e.g. to the credentials inside a URL) or move its start back over bytes the ASCII pattern
// cannot match (an e-mail's non-ASCII local part). Must only read text; pure and thread-safe.
using ValidateFn = int (*)(std::string_view text, size_t* begin, size_t* end, const DetectOptions& opt);

// Where a detector's pattern is run. PiiScanner makes one cheap pass over the text to find these
// regions; patterns then run only inside them (most text has none, and RE2 calls are the cost).
enum class Trigger : uint8_t {
  Numeric,    // runs of digits and [ .-()/+] holding >= 7 digits (or a dotted quad), +-3 bytes
  Email,      // around each '@'
  Url,        // around each "://"
  PemBlock,   // from each "-----BEGIN" to the end of the text
  Jwt,        // from each "eyJ" to the end of its token
  Token,      // runs of [A-Za-z0-9_-/+] of 14+ bytes
  TokenLong,  // runs of 40+ such bytes, with 48 bytes before them (for a context word)
  HexColon,   // runs of hex digits and [:.-] with two ':' (IPv6 / MAC) or MAC-like dash / dot groups
  Iban,       // two capitals and two digits at a word start, and the 42 bytes after
  kCount
};
constexpr size_t kTriggerCount = size_t(Trigger::kCount);

struct DetectorDef {
  PiiType type;
  const char* pattern;  // RE2 syntax, Latin-1 mode (byte offsets), no capturing groups needed
  ValidateFn validate;
  Trigger trigger;
  uint8_t min_digits;   // Numeric trigger: regions with fewer digits are skipped
  // Token trigger: literals separated by '|', one of which every match contains (its prefix); a
  // region holding none is skipped without calling RE2. nullptr = always run.
  const char* anchors = nullptr;
  // Optional, checked before every RE2 call (the first in a region and each retry after a hit or a
  // rejected candidate): false when no match can lie inside text[pos, end) — a necessary condition
  // of the pattern, such as its literal '@'. Must be exact in that direction (never false when the
  // pattern could match there), or spans are lost. nullptr = always run.
  bool (*could_match)(std::string_view text, size_t pos, size_t end) = nullptr;
  // Optional: validate() returns at most `max_without_context` for a match with none of these
  // words near it (HasContext with at most 40 bytes before / 12 after). The scanner looks for every
  // detector's words in one pass over a region (ContextWordSets) and skips a detector that could
  // not reach min_confidence there: ids that need a context word cost no RE2 call in the many
  // digit runs without one. Both must be exact in that direction, or spans are lost.
  const std::vector<std::string_view>& (*context_words)() = nullptr;
  int max_without_context = 100;
  // Numeric trigger: the hand-written matcher of `pattern` (numeric_shape.h) the scanner runs
  // instead of RE2; None = RE2.
  NumericShape shape = NumericShape::None;
  // True when every match begins with one of `anchors`: the scanner then matches anchored at
  // their occurrences (prefix_search.h) instead of an unanchored RE2 search.
  bool anchors_prefix = false;
};
// Numeric detectors: a match holding fewer than min_digits digits is never a hit (the scanner skips
// it without validating, and stops looking in a region once fewer digits than that remain).

// Every detector, in a fixed order (the order is part of the deterministic output).
const std::vector<DetectorDef>& AllDetectors();

// One per detect_<kind>.cpp.
void AddEmailDetectors(std::vector<DetectorDef>* out);
void AddUrlCredentialDetectors(std::vector<DetectorDef>* out);
void AddSecretDetectors(std::vector<DetectorDef>* out);
void AddIbanDetectors(std::vector<DetectorDef>* out);
void AddCardDetectors(std::vector<DetectorDef>* out);
void AddSsnDetectors(std::vector<DetectorDef>* out);
void AddPhoneDetectors(std::vector<DetectorDef>* out);
void AddIpDetectors(std::vector<DetectorDef>* out);
void AddMacDetectors(std::vector<DetectorDef>* out);
void AddBitcoinDetectors(std::vector<DetectorDef>* out);
void AddNationalIdDetectors(std::vector<DetectorDef>* out);

// [SECTION] helpers shared by the validators
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
inline bool IsWordByte(char c) { return IsAlnum(c) || c == '_' || (static_cast<unsigned char>(c) >= 0x80); }

// For number-shaped entities: false when the span is glued to a longer token — a letter, digit or
// '#' right before it, '-' '.' '/' after a letter/digit before it, ':' after a digit, a letter or
// digit right after it, or '-' '.' '/' ':' followed by a digit after it (order ids
// "ORD-2023-5550123", versions, dotted numbers, paths, UUID groups, "#12345"), or ',' and a digit
// after a final run of at most 3 digits (a thousands group: a CSV field "…,4539…936,04/27" stays
// standalone), or when it is part of a longer space-grouped digit sequence (GroupContinues).
bool StandaloneToken(std::string_view text, size_t begin, size_t end);
// True when the span is space-grouped digits and another digit group follows or precedes it
// after one space ("4688 0723 9203 9694" holds no phone "0723 9203 9694").
bool GroupContinues(std::string_view text, size_t begin, size_t end);
// True when one of `words` (lower case, matched case-insensitively on word boundaries) occurs in
// the `before` bytes before begin or the `after` bytes after end.
bool HasContext(std::string_view text, size_t begin, size_t end, const std::vector<std::string_view>& words,
                size_t before = 40, size_t after = 12);
// Several lists of context words, looked for together: Near() returns a bit per list (in the order
// of Add) that has a word anywhere in [begin - before, end + after), the inside included and lines
// ignored, so a clear bit means HasContext(text, b, e, words, before', after') is false for every
// span [b, e) inside [begin, end) with before' <= before and after' <= after.
class ContextWordSets {
 public:
  // Returns the list's bit index, or -1 when 32 lists are already held.
  int Add(const std::vector<std::string_view>& words);
  uint32_t Near(std::string_view text, size_t begin, size_t end, size_t before = 40, size_t after = 12) const;

 private:
  struct Word {
    std::string_view text;
    uint32_t bit;
  };
  std::vector<Word> m_by_first[256];
  int m_lists = 0;
};
// Separators between digit groups: returns the set of distinct separator bytes in s (non-digits),
// as a small string, e.g. "-" or " " or "" (none) or "-." (mixed).
std::string_view SeparatorKinds(std::string_view s, char buf[8]);
// Lengths of the digit groups of s split on non-digits, e.g. "555-123-4567" -> {3,3,4}.
std::vector<int> DigitGroups(std::string_view s);
// Helpers for DetectorDef::could_match: whether text[pos, end) contains lit (HasLiteralFold: ASCII
// case-insensitively, lit in lower case), and how many bytes equal to ch it holds.
bool HasLiteral(std::string_view text, size_t pos, size_t end, std::string_view lit);
bool HasLiteralFold(std::string_view text, size_t pos, size_t end, std::string_view lit);
size_t CountByte(std::string_view text, size_t pos, size_t end, char ch);

}  // namespace winnow::pii
