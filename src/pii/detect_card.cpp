// CREDIT_CARD: 13-19 digits, plain or grouped with one kind of separator (4-4-4-4[-3], Amex 4-6-5,
// Diners 4-6-4), passing Luhn and belonging to a known issuer range with a length that issuer uses.
#include <string>

#include "pii/checksums.h"
#include "pii/detector.h"

namespace winnow::pii {
namespace {

// The word after "<number> " when it is a unit or a plural noun of things counted.
bool CountNounAfter(std::string_view text, size_t end) {
  if (end + 1 >= text.size() || text[end] != ' ') return false;
  size_t b = end + 1, e = b;
  while (e < text.size() && IsAlpha(text[e])) ++e;
  std::string word;
  for (size_t i = b; i < e; ++i) word.push_back(char(text[i] | 0x20));
  static const std::string_view kNouns[] = {
      "iterations", "hashes", "tokens", "bytes", "bits", "rows", "records", "items", "events", "requests", "users",
      "times", "steps", "samples", "parameters", "params", "entries", "lines", "words", "files", "cycles", "ops",
      "ms", "ns", "us", "seconds", "nanoseconds", "microseconds", "milliseconds", "years", "km", "kg", "units", "points"};
  for (std::string_view n : kNouns) {
    if (word == n) return true;
  }
  return false;
}

int ValidateCard(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (!StandaloneToken(text, *begin, *end)) return 0;
  std::string_view v = text.substr(*begin, *end - *begin);
  std::string digits;
  if (!DigitsOf(v, &digits, 19) || digits.size() < 13) return 0;
  char buf[8];
  std::string_view seps = SeparatorKinds(v, buf);
  if (seps.size() > 1) return 0;
  if (seps.size() == 1) {
    std::vector<int> g = DigitGroups(v);
    bool fours = true;
    for (size_t i = 0; i + 1 < g.size(); ++i) fours = fours && g[i] == 4;
    bool ok = (fours && g.back() >= 1 && g.back() <= 4) || (g.size() == 3 && g[0] == 4 && g[1] == 6 && (g[2] == 5 || g[2] == 4));
    if (!ok) return 0;
  }
  if (!LuhnValid(digits) || CardBrand(digits) == nullptr) return 0;
  static const std::vector<std::string_view> kContext = {"card", "visa", "mastercard", "amex", "credit", "debit", "cc", "payment", "pan"};
  bool ctx = HasContext(text, *begin, *end, kContext);
  // One number in ten passes Luhn: an unseparated run followed by a unit or a counted noun
  // ("4242424242424242 iterations", "371449635398431 hashes") is a count, unless a card word is near.
  if (!ctx && seps.empty() && CountNounAfter(text, *end)) return 0;
  return ctx ? 97 : 90;
}

}  // namespace

void AddCardDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::CreditCard, R"(\b[0-9](?:[ \-]?[0-9]){12,18}\b)", ValidateCard, Trigger::Numeric, 13});
  out->back().shape = NumericShape::Card;
}

}  // namespace winnow::pii
