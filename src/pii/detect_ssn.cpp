// US_SSN: AAA-GG-SSSS (or spaced) with the SSA's never-issued areas, groups and serials removed.
// Spaced and unseparated forms are too common as other numbers to count without a context word.
#include <string>

#include "pii/checksums.h"
#include "pii/detector.h"

namespace winnow::pii {
namespace {

int ValidateSsn(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (!StandaloneToken(text, *begin, *end)) return 0;
  std::string_view v = text.substr(*begin, *end - *begin);
  std::string digits;
  if (!DigitsOf(v, &digits, 9) || !SsnValid(digits)) return 0;
  static const std::vector<std::string_view> kContext = {"ssn", "ssns", "social security", "ss#", "ss no", "soc sec", "social sec"};
  bool ctx = HasContext(text, *begin, *end, kContext);
  char buf[8];
  std::string_view seps = SeparatorKinds(v, buf);
  if (seps == "-") return ctx ? 97 : 85;
  if (seps == " ") return ctx ? 90 : 45;
  return ctx ? 85 : 20;
}

}  // namespace

void AddSsnDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::UsSsn, R"(\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b|\b[0-9]{3} [0-9]{2} [0-9]{4}\b|\b[0-9]{9}\b)",
                  ValidateSsn, Trigger::Numeric, 9});
  out->back().shape = NumericShape::UsSsn;
}

}  // namespace winnow::pii
