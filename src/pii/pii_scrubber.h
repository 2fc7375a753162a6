// PiiScrubber: applies an operator to the spans PiiScanner found — typed placeholder ("[EMAIL]"),
// mask, or a consistent keyed pseudonym — and leaves every other byte of the text unchanged.
// Also the masked rendering used for report examples (never the raw value).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pii/pii_scanner.h"

namespace winnow::pii {

enum class PiiOperator : uint8_t {
  Replace,    // "[EMAIL]"
  Mask,       // every letter / digit -> mask_char, separators kept: "****@*******.***"
  Pseudonym,  // "[EMAIL_3f9a2c1b04de]": same value (normalized) + same key -> same token
  DropRow,    // text untouched; the step drops rows over the hit limit
};
std::string_view PiiOperatorName(PiiOperator op);  // "replace", "mask", "pseudonym", "drop_row"
bool ParsePiiOperator(std::string_view s, PiiOperator* out);

using PseudonymKey = std::array<uint8_t, 32>;

struct ScrubOptions {
  ScanOptions scan;
  PiiOperator op = PiiOperator::Replace;
  char mask_char = '*';
  int mask_keep_last = 0;       // letters/digits left visible at the end of a masked value
  PseudonymKey pseudonym_key{};  // from DerivePseudonymKey(key); the key itself is never stored
};

// The HMAC key of the pseudonyms, derived from a secret key (SHA-256 of a label and the key).
PseudonymKey DerivePseudonymKey(std::string_view key);

// "[EMAIL]", "[CREDIT_CARD]", ...
std::string Placeholder(PiiType t);
// The value in a canonical form so differently formatted copies share a pseudonym:
// digits and letters only (upper case) for number-like types, lower case for e-mail addresses.
std::string NormalizeForPseudonym(PiiType t, std::string_view value);
// "[EMAIL_3f9a2c1b04de]": the first 48 bits of HMAC-SHA-256(key, type name, NUL, normalized value).
// A keyed PRF, so tokens reveal nothing about values (even in small spaces such as phone numbers)
// to someone without the key, and value / token pairs do not give the key away.
std::string PseudonymToken(PiiType t, std::string_view value, const PseudonymKey& key);
std::string MaskValue(std::string_view value, char mask_char, int keep_last);
// For reports: the first letter/digit kept, every other letter/digit masked, separators kept.
std::string MaskForReport(std::string_view value);

// Writes text with each span (sorted, non-overlapping, from PiiScanner::Find) rewritten by
// opt.op to *out (cleared first). With DropRow the text is copied unchanged.
void ApplyOperator(std::string_view text, const std::vector<PiiSpan>& spans, const ScrubOptions& opt, std::string* out);

// Find + ApplyOperator. spans (optional) receives the spans in the *input* text.
std::string ScrubText(std::string_view text, const ScrubOptions& opt, std::vector<PiiSpan>* spans = nullptr);

}  // namespace winnow::pii
