// BITCOIN addresses: legacy Base58Check (P2PKH "1…", P2SH "3…", checksum = double SHA-256) and
// SegWit Bech32 / Bech32m ("bc1…", BIP 173 / BIP 350 checksums).
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

}  // namespace

void AddBitcoinDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::Bitcoin, R"(\b[13][1-9A-HJ-NP-Za-km-z]{25,34}\b)", ValidateBase58, Trigger::Token, 0, "1|3"});
  out->push_back({PiiType::Bitcoin, R"(\b(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}\b)", ValidateBech32, Trigger::Token, 0, "bc1|BC1"});
}

}  // namespace winnow::pii
