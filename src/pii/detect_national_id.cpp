// National ids with check digits: UK NHS (mod-11), ES NIF / NIE (mod-23 letter), IN Aadhaar
// (Verhoeff), PL PESEL (birth date + weights), AU ABN (mod-89) and TFN (mod-11), CA SIN (Luhn),
// DE Steuer-IdNr (ISO 7064 MOD 11,10). Pure-digit ids collide with phone numbers and order ids,
// so without a context word ("NHS", "PESEL", "ABN", …) they stay below the default threshold.
#include <string>

#include "pii/checksums.h"
#include "pii/detector.h"

namespace winnow::pii {
namespace {

// Context words per id (lower case). Functions, so the validators and their bounds share one list.
using Words = const std::vector<std::string_view>& (*)();
const std::vector<std::string_view>& NhsWords() {
  static const std::vector<std::string_view> k = {"nhs", "nhs no", "nhs number", "health service"};
  return k;
}
const std::vector<std::string_view>& AadhaarWords() {
  static const std::vector<std::string_view> k = {"aadhaar", "aadhar", "uidai", "uid", "adhaar"};
  return k;
}
const std::vector<std::string_view>& PeselWords() {
  static const std::vector<std::string_view> k = {"pesel"};
  return k;
}
const std::vector<std::string_view>& AbnWords() {
  static const std::vector<std::string_view> k = {"abn", "australian business number", "business number"};
  return k;
}
const std::vector<std::string_view>& TfnWords() {
  static const std::vector<std::string_view> k = {"tfn", "tax file number", "tax file no"};
  return k;
}
const std::vector<std::string_view>& SinWords() {
  static const std::vector<std::string_view> k = {"sin", "social insurance", "nas", "numéro d'assurance sociale"};
  return k;
}
const std::vector<std::string_view>& DeTaxIdWords() {
  static const std::vector<std::string_view> k = {"steuer-id", "steuerid", "steuer-idnr", "idnr", "steueridentifikationsnummer",
                                                  "identifikationsnummer", "tax id", "tin", "steuernummer", "steuer"};
  return k;
}

template <bool (*Valid)(std::string_view), int kWithContext, int kWithout, size_t kMaxDigits, Words kWords>
int ValidateDigits(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (!StandaloneToken(text, *begin, *end)) return 0;
  std::string digits;
  if (!DigitsOf(text.substr(*begin, *end - *begin), &digits, kMaxDigits) || !Valid(digits)) return 0;
  char buf[8];
  if (SeparatorKinds(text.substr(*begin, *end - *begin), buf).size() > 1) return 0;
  return HasContext(text, *begin, *end, kWords()) ? kWithContext : kWithout;
}
constexpr auto ValidateNhs = ValidateDigits<NhsValid, 92, 40, 10, NhsWords>;
int ValidateAadhaar(std::string_view text, size_t* begin, size_t* end, const DetectOptions& o) {
  int c = ValidateDigits<AadhaarValid, 92, 40, 12, AadhaarWords>(text, begin, end, o);
  // The printed 4-4-4 grouping is distinctive.
  if (c == 40 && DigitGroups(text.substr(*begin, *end - *begin)).size() == 3) c = 55;
  return c;
}
constexpr auto ValidatePesel = ValidateDigits<PeselValid, 92, 40, 11, PeselWords>;
int ValidateAbn(std::string_view text, size_t* begin, size_t* end, const DetectOptions& o) {
  int c = ValidateDigits<AbnValid, 93, 40, 11, AbnWords>(text, begin, end, o);
  std::vector<int> g = DigitGroups(text.substr(*begin, *end - *begin));
  if (c == 40 && g.size() == 4 && g[0] == 2) c = 55;  // printed "51 824 753 556"
  return c;
}
constexpr auto ValidateTfn = ValidateDigits<TfnValid, 92, 30, 9, TfnWords>;
constexpr auto ValidateSin = ValidateDigits<SinValid, 92, 35, 9, SinWords>;
constexpr auto ValidateDeTaxId = ValidateDigits<DeTaxIdValid, 92, 40, 11, DeTaxIdWords>;

int ValidateNifNie(std::string_view text, size_t* begin, size_t* end, bool nie) {
  if (!StandaloneToken(text, *begin, *end)) return 0;
  std::string compact;
  for (size_t i = *begin; i < *end; ++i) {
    if (text[i] != '-' && text[i] != ' ') compact.push_back(text[i]);
  }
  if (!(nie ? NieValid(compact) : NifValid(compact))) return 0;
  static const std::vector<std::string_view> k = {"nif", "nie", "dni", "cif", "documento", "identidad", "extranjero"};
  return HasContext(text, *begin, *end, k) ? 95 : 85;
}
int ValidateNif(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  return ValidateNifNie(text, begin, end, false);
}
int ValidateNie(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  return ValidateNifNie(text, begin, end, true);
}

}  // namespace

void AddNationalIdDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::UkNhs, R"(\b[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{4}\b)", ValidateNhs, Trigger::Numeric, 10, nullptr, nullptr, NhsWords, 40});
  out->back().shape = NumericShape::UkNhs;
  out->push_back({PiiType::EsNif, R"(\b[0-9]{8}[\- ]?[A-Za-z]\b)", ValidateNif, Trigger::Numeric, 8});
  out->back().shape = NumericShape::EsNif;
  out->push_back({PiiType::EsNie, R"(\b[XYZxyz][\- ]?[0-9]{7}[\- ]?[A-Za-z]\b)", ValidateNie, Trigger::Numeric, 7});
  out->back().shape = NumericShape::EsNie;
  out->push_back({PiiType::InAadhaar, R"(\b[2-9][0-9]{3}[ \-]?[0-9]{4}[ \-]?[0-9]{4}\b)", ValidateAadhaar, Trigger::Numeric, 12});
  out->back().shape = NumericShape::InAadhaar;
  out->push_back({PiiType::PlPesel, R"(\b[0-9]{11}\b)", ValidatePesel, Trigger::Numeric, 11, nullptr, nullptr, PeselWords, 40});
  out->back().shape = NumericShape::PlPesel;
  out->push_back({PiiType::AuAbn, R"(\b[1-9][0-9] ?[0-9]{3} ?[0-9]{3} ?[0-9]{3}\b)", ValidateAbn, Trigger::Numeric, 11});
  out->back().shape = NumericShape::AuAbn;
  out->push_back({PiiType::AuTfn, R"(\b[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{2,3}\b)", ValidateTfn, Trigger::Numeric, 8, nullptr, nullptr, TfnWords, 30});
  out->back().shape = NumericShape::AuTfn;
  out->push_back({PiiType::CaSin, R"(\b[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{3}\b)", ValidateSin, Trigger::Numeric, 9, nullptr, nullptr, SinWords, 35});
  out->back().shape = NumericShape::CaSin;
  out->push_back({PiiType::DeTaxId, R"(\b[1-9][0-9](?: ?[0-9]{3}){3}\b)", ValidateDeTaxId, Trigger::Numeric, 11, nullptr, nullptr, DeTaxIdWords, 40});
  out->back().shape = NumericShape::DeTaxId;
}

}  // namespace winnow::pii
