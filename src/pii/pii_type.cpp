#include "pii/pii_type.h"

#include <array>

namespace winnow::pii {
namespace {

constexpr std::array<std::string_view, kPiiTypeCount> kNames = {
    "EMAIL",         "URL_CREDENTIALS", "PRIVATE_KEY",  "JWT",         "AWS_ACCESS_KEY",
    "AWS_SECRET_KEY", "GITHUB_TOKEN",   "GITLAB_TOKEN", "SLACK_TOKEN", "STRIPE_KEY",
    "OPENAI_KEY",    "ANTHROPIC_KEY",   "IBAN",         "CREDIT_CARD", "US_SSN",
    "PHONE",         "IPV4",            "IPV6",         "MAC",         "BITCOIN",
    "UK_NHS",        "ES_NIF",          "ES_NIE",       "IN_AADHAAR",  "PL_PESEL",
    "AU_ABN",        "AU_TFN",          "CA_SIN",       "DE_TAX_ID"};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = char(x - 32);
    if (y >= 'a' && y <= 'z') y = char(y - 32);
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string_view PiiTypeName(PiiType t) {
  size_t i = size_t(t);
  return i < kPiiTypeCount ? kNames[i] : std::string_view("UNKNOWN");
}

bool ParsePiiType(std::string_view s, PiiType* out) {
  for (size_t i = 0; i < kPiiTypeCount; ++i) {
    if (EqualsIgnoreCase(s, kNames[i])) {
      *out = PiiType(i);
      return true;
    }
  }
  return false;
}

bool ExpandPiiTypeOrGroup(std::string_view s, std::vector<PiiType>* out) {
  PiiType t;
  if (ParsePiiType(s, &t)) {
    out->push_back(t);
    return true;
  }
  auto add_range = [&](PiiType first, PiiType last) {
    for (size_t i = size_t(first); i <= size_t(last); ++i) out->push_back(PiiType(i));
  };
  if (EqualsIgnoreCase(s, "ALL")) {
    add_range(PiiType::Email, PiiType::DeTaxId);
  } else if (EqualsIgnoreCase(s, "SECRET")) {
    add_range(PiiType::UrlCredentials, PiiType::AnthropicKey);
  } else if (EqualsIgnoreCase(s, "NATIONAL_ID")) {
    out->push_back(PiiType::UsSsn);
    add_range(PiiType::UkNhs, PiiType::DeTaxId);
  } else if (EqualsIgnoreCase(s, "NETWORK")) {
    add_range(PiiType::Ipv4, PiiType::Mac);
  } else if (EqualsIgnoreCase(s, "FINANCIAL")) {
    out->push_back(PiiType::CreditCard);
    out->push_back(PiiType::Iban);
    out->push_back(PiiType::Bitcoin);
  } else {
    return false;
  }
  return true;
}

std::string_view PiiTypeNamesHelp() {
  return "ALL, SECRET, NATIONAL_ID, NETWORK, FINANCIAL, EMAIL, URL_CREDENTIALS, PRIVATE_KEY, JWT, "
         "AWS_ACCESS_KEY, AWS_SECRET_KEY, GITHUB_TOKEN, GITLAB_TOKEN, SLACK_TOKEN, STRIPE_KEY, "
         "OPENAI_KEY, ANTHROPIC_KEY, IBAN, CREDIT_CARD, US_SSN, PHONE, IPV4, IPV6, MAC, BITCOIN, "
         "UK_NHS, ES_NIF, ES_NIE, IN_AADHAAR, PL_PESEL, AU_ABN, AU_TFN, CA_SIN, DE_TAX_ID";
}

}  // namespace winnow::pii
