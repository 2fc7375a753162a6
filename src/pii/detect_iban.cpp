// IBAN: country code, check digits and BBAN, optionally grouped by 4 with spaces, upper- or
// lower-case. The candidate is trimmed to the country's registered length (the pattern may run
// into following words) and accepted only when ISO 7064 mod-97 holds.
#include <string>

#include "pii/checksums.h"
#include "pii/detector.h"

namespace winnow::pii {
namespace {

int ValidateIban(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (*begin > 0 && IsWordByte(text[*begin - 1])) return 0;
  // Upper-case as printed, or all lower-case as people also type it ("de89 3704 ..."); mixed
  // case is a word, not an account number.
  const bool lower = text[*begin] >= 'a' && text[*begin] <= 'z';
  auto upper = [&](char c) { return lower && c >= 'a' && c <= 'z' ? char(c - 32) : c; };
  const char cc[2] = {upper(text[*begin]), upper(text[*begin + 1])};
  const int len = IbanLength(std::string_view(cc, 2));
  if (len == 0) return 0;
  std::string compact;
  size_t p = *begin;
  bool spaced = false;
  for (; p < *end && int(compact.size()) < len; ++p) {
    char c = text[p];
    if (c == ' ') {
      spaced = true;
      continue;
    }
    if ((lower && c >= 'A' && c <= 'Z') || (!lower && c >= 'a' && c <= 'z')) return 0;
    compact.push_back(upper(c));
  }
  if (int(compact.size()) != len) return 0;
  // The IBAN must end at a token boundary (not in the middle of a group or word).
  if (p < text.size() && IsWordByte(text[p])) return 0;
  if (spaced) {
    // Printed form groups by four: every space sits after a multiple of 4 characters.
    size_t k = 0;
    for (size_t i = *begin; i < p; ++i) {
      if (text[i] == ' ') {
        if (k % 4 != 0) return 0;
      } else {
        ++k;
      }
    }
  }
  if (!IbanValid(compact)) return 0;
  *end = p;
  return 95;
}

}  // namespace

void AddIbanDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::Iban, R"(\b(?:[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}|[a-z]{2}[0-9]{2}(?: ?[a-z0-9]){11,30})\b)", ValidateIban, Trigger::Iban, 0});
}

}  // namespace winnow::pii
