// BITCOIN addresses: legacy Base58Check (P2PKH "1…", P2SH "3…", checksum = double SHA-256) and
// SegWit Bech32 / Bech32m ("bc1…", BIP 173 / BIP 350 checksums).
#include <algorithm>

#include "pii/checksums.h"
#include "pii/detector.h"

namespace winnow::pii {
namespace {

int ValidateBase58(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  return Base58CheckBitcoinValid(text.substr(*begin, *end - *begin)) ? 95 : 0;
}
int ValidateBech32(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  return Bech32BitcoinValid(text.substr(*begin, *end - *begin)) ? 95 : 0;
}

bool IsRe2WordChar(char c) { return IsAlnum(c) || c == '_'; }
bool IsBase58(char c) { return IsAlnum(c) && c != '0' && c != 'O' && c != 'I' && c != 'l'; }
// The Base58 pattern spans one whole word (\b at both ends, only word characters between): a word
// of 26-35 Base58 characters starting with '1' or '3' must lie in [pos, end).
bool CouldMatchBase58(std::string_view text, size_t pos, size_t end) {
  end = std::min(end, text.size());
  if (end < pos + 26) return false;  // no room for the shortest address
  for (size_t i = pos; i < end;) {
    if (!IsRe2WordChar(text[i]) || (i > 0 && IsRe2WordChar(text[i - 1]))) {
      ++i;
      continue;
    }
    size_t j = i;
    if (text[i] != '1' && text[i] != '3') {  // not a candidate: skip the word
      while (j < text.size() && IsRe2WordChar(text[j])) ++j;
      i = j;
      continue;
    }
    bool base58 = true;
    for (; j < text.size() && IsRe2WordChar(text[j]); ++j) base58 = base58 && IsBase58(text[j]);
    if (j <= end && j - i >= 26 && j - i <= 35 && base58) return true;
    i = j;
  }
  return false;
}

}  // namespace

void AddBitcoinDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::Bitcoin, R"(\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b)", ValidateBase58, Trigger::Token, 0, "1|3", CouldMatchBase58});
  out->push_back({PiiType::Bitcoin, R"(\b(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}\b)", ValidateBech32, Trigger::Token, 0, "bc1|BC1"});
  out->back().anchors_prefix = true;
}

}  // namespace winnow::pii
