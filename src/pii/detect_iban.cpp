// IBAN: country code, check digits and BBAN, optionally grouped by 4 with spaces. The candidate
// is trimmed to the country's registered length (the pattern may run into following words) and
// accepted only when ISO 7064 mod-97 holds.
#include <string>

#include "pii/checksums.h"
#include "pii/detector.h"

namespace winnow::pii {
namespace {

int ValidateIban(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (*begin > 0 && IsWordByte(text[*begin - 1])) return 0;
  int len = IbanLength(text.substr(*begin, 2));
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
    compact.push_back(c);
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
  out->push_back({PiiType::Iban, R"(\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b)", ValidateIban, Trigger::Iban, 0});
}

}  // namespace winnow::pii
