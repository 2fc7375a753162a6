// PiiType: the kinds of personal data and secrets the scrubber detects, their stable names
// ("EMAIL", "CREDIT_CARD", ...; used in placeholders, params and reports) and named groups.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace winnow::pii {

// Order matters only as the last tie-break between equally confident overlapping detections.
enum class PiiType : uint8_t {
  Email,
  UrlCredentials,
  PrivateKey,
  Jwt,
  AwsAccessKey,
  AwsSecretKey,
  GithubToken,
  GitlabToken,
  SlackToken,
  StripeKey,
  OpenaiKey,
  AnthropicKey,
  Iban,
  CreditCard,
  UsSsn,
  Phone,
  Ipv4,
  Ipv6,
  Mac,
  Bitcoin,
  UkNhs,
  EsNif,
  EsNie,
  InAadhaar,
  PlPesel,
  AuAbn,
  AuTfn,
  CaSin,
  DeTaxId,
  kCount
};
constexpr size_t kPiiTypeCount = size_t(PiiType::kCount);

// Upper-case stable name, e.g. "EMAIL", "US_SSN", "AWS_ACCESS_KEY".
std::string_view PiiTypeName(PiiType t);
// Accepts a type name (case-insensitive). False when unknown.
bool ParsePiiType(std::string_view s, PiiType* out);
// Expands a type name or a group name into types (appended to *out): groups are
// "ALL", "SECRET" (credentials, keys and tokens), "NATIONAL_ID" (US_SSN and the national ids),
// "NETWORK" (IPV4, IPV6, MAC), "FINANCIAL" (CREDIT_CARD, IBAN, BITCOIN). False when unknown.
bool ExpandPiiTypeOrGroup(std::string_view s, std::vector<PiiType>* out);
// Comma-separated list of every accepted type and group name (for error messages and --help).
std::string_view PiiTypeNamesHelp();

}  // namespace winnow::pii
