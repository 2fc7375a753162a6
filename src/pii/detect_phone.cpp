// PHONE: international E.164 ("+44 20 7946 0958", "+14155552671"), North-American
// ("(415) 555-2671", "415-555-2671", "1 415 555 2671") and common European groupings starting with
// a trunk 0 ("030 1234 5678", "06 12 34 56 78"). Context words ("tel", "call me", "mobile") raise
// confidence; unseparated digit runs count only with one.
#include <string>

#include "pii/checksums.h"
#include "pii/detector.h"

namespace winnow::pii {
namespace {

const std::vector<std::string_view>& PhoneContext() {
  static const std::vector<std::string_view> k = {
      "phone", "phones", "tel", "tel.", "telephone", "call", "calling", "called", "mobile", "mob", "cell", "cellphone",
      "fax", "ring", "text", "sms", "whatsapp", "contact", "reach", "dial", "telefon", "telefono",
      "teléfono", "téléphone", "tél", "numéro", "handy", "móvil", "portable", "hotline", "helpline", "ph"};
  return k;
}

bool LeftClean(std::string_view text, size_t begin) {
  if (begin == 0) return true;
  if (text[begin - 1] == '#') return false;
  char c = text[begin - 1];
  if (IsWordByte(c) || c == '+' || c == '=' || c == '/') return false;
  if ((c == '-' || c == '.' || c == ':' || c == '#') && begin >= 2 && IsDigit(text[begin - 2])) return false;
  return true;
}

// Words naming some other kind of number: "NHS number 943 476 5918" (a mistyped NHS number) or
// "ISBN 0-306-40615-2" is not a phone number, whatever its shape. Checked only where no phone
// context word is near.
const std::vector<std::string_view>& OtherNumberWords() {
  static const std::vector<std::string_view> k = {"nhs", "ssn", "ss#", "pesel", "aadhaar", "aadhar", "abn", "tfn",
                                                  "nif", "nie", "dni", "iban", "isbn", "issn", "invoice", "order",
                                                  "tracking", "serial", "sku"};
  return k;
}
bool OtherNumberBefore(std::string_view text, size_t begin, size_t end) {
  return HasContext(text, begin, end, OtherNumberWords(), 24, 0);
}

bool RightClean(std::string_view text, size_t end) {
  if (end >= text.size()) return true;
  char c = text[end];
  if (IsWordByte(c)) return false;
  if ((c == '-' || c == '.' || c == '/' || c == ':' || c == ',') && end + 1 < text.size() && IsDigit(text[end + 1]))
    return false;
  return true;
}

int ValidateInternational(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  // "to=+447700900123" (logs, query strings): '=' may precede the '+' of an E.164 number.
  bool after_equals = *begin > 0 && text[*begin - 1] == '=';
  if (!(LeftClean(text, *begin) || after_equals) || !RightClean(text, *end)) return 0;
  std::string_view v = text.substr(*begin, *end - *begin);
  std::string digits;
  if (!DigitsOf(v, &digits, 15) || digits.size() < 8) return 0;
  // Separators: at most two kinds besides parentheses, never two in a row except ") " / " (".
  int open = 0;
  char prev = '+';
  char buf[8];
  std::string_view seps = SeparatorKinds(v.substr(1), buf);
  int kinds = 0;
  bool parens = false;
  for (char c : seps) {
    kinds += (c != '(' && c != ')');
    parens = parens || c == '(';
  }
  // One kind of separator, or the North-American print "+1 (800) 555-0142" (spaces around the
  // area code, another separator inside the subscriber number).
  if (kinds > (parens ? 2 : 1)) return 0;
  for (size_t i = 1; i < v.size(); ++i) {
    char c = v[i];
    if (c == '(') {
      if (open) return 0;
      open = 1;
    } else if (c == ')') {
      if (!open) return 0;
      open = 0;
    } else if (!IsDigit(c) && !IsDigit(prev) && prev != ')' && prev != '(') {
      return 0;
    }
    prev = c;
  }
  if (open) return 0;
  for (int g : DigitGroups(v)) {
    if (g > 12) return 0;
  }
  return HasContext(text, *begin, *end, PhoneContext()) ? 95 : 85;
}

int ValidateNorthAmerican(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (!LeftClean(text, *begin) || !RightClean(text, *end) || GroupContinues(text, *begin, *end)) return 0;
  std::string_view v = text.substr(*begin, *end - *begin);
  std::string digits;
  DigitsOf(v, &digits, 11);
  if (digits.size() == 11) digits.erase(0, 1);  // leading country code 1
  if (digits.size() != 10) return 0;
  // N11 service codes are not subscriber numbers.
  if (digits[1] == '1' && digits[2] == '1') return 0;
  if (digits[4] == '1' && digits[5] == '1') return 0;
  bool ctx = HasContext(text, *begin, *end, PhoneContext());
  if (!ctx && OtherNumberBefore(text, *begin, *end)) return 0;
  char buf[8];
  std::string_view seps = SeparatorKinds(v, buf);
  if (v.find('(') != std::string_view::npos) return ctx ? 95 : 80;
  if (seps.size() != 1) return 0;
  if (seps == "-") return ctx ? 95 : 70;
  if (seps == ".") return ctx ? 90 : 60;
  return ctx ? 90 : 50;
}

int ValidateEuropean(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (!LeftClean(text, *begin) || !RightClean(text, *end) || GroupContinues(text, *begin, *end)) return 0;
  std::string_view v = text.substr(*begin, *end - *begin);
  std::string digits;
  if (!DigitsOf(v, &digits, 12) || digits.size() < 9) return 0;
  char buf[8];
  std::string_view seps = SeparatorKinds(v, buf);
  if (seps.size() > 1) return 0;
  // "078-05-1120" is printed like a US SSN (3-2-4 with dashes), not like a European number.
  std::vector<int> groups = DigitGroups(v);
  if (seps == "-" && groups.size() == 3 && groups[0] == 3 && groups[1] == 2 && groups[2] == 4) return 0;
  bool ctx = HasContext(text, *begin, *end, PhoneContext());
  if (!ctx && OtherNumberBefore(text, *begin, *end)) return 0;
  if (seps.empty()) return ctx ? 75 : 0;
  return ctx ? 90 : 60;
}

int ValidateBare(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (!LeftClean(text, *begin) || !RightClean(text, *end)) return 0;
  return HasContext(text, *begin, *end, PhoneContext(), 24, 0) ? 75 : 0;
}

}  // namespace

void AddPhoneDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::Phone, R"(\+[1-9][0-9 .\-()]{5,22}[0-9])", ValidateInternational, Trigger::Numeric, 8});
  out->back().shape = NumericShape::PhoneIntl;
  out->push_back({PiiType::Phone,
                  R"((?:\b1[ .\-])?(?:\([2-9][0-9]{2}\)[ .\-]?|\b[2-9][0-9]{2}[ .\-])[2-9][0-9]{2}[ .\-][0-9]{4}\b)",
                  ValidateNorthAmerican, Trigger::Numeric, 10});
  out->back().shape = NumericShape::PhoneNa;
  out->push_back({PiiType::Phone, R"(\b0[1-9][0-9]{0,4}(?:[ .\-/][0-9]{2,8}){1,4}\b)", ValidateEuropean, Trigger::Numeric, 9});
  out->back().shape = NumericShape::PhoneEu;
  out->push_back({PiiType::Phone, R"(\b[2-9][0-9]{2}[2-9][0-9]{6}\b|\b0[1-9][0-9]{8,10}\b)", ValidateBare, Trigger::Numeric, 10, nullptr, nullptr,
                  PhoneContext, 0});
  out->back().shape = NumericShape::PhoneBare;
}

}  // namespace winnow::pii
