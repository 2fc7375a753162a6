// MAC addresses: six hex pairs joined by ':' or '-' (one kind), or Cisco's dotted "aabb.ccdd.eeff".
#include "pii/detector.h"

namespace winnow::pii {
namespace {

int ValidateMac(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  if (*begin > 0 && (IsWordByte(text[*begin - 1]) || text[*begin - 1] == ':' || text[*begin - 1] == '-')) return 0;
  if (*end < text.size() && (IsWordByte(text[*end]) || ((text[*end] == ':' || text[*end] == '-') && *end + 1 < text.size() && IsAlnum(text[*end + 1]))))
    return 0;
  std::string_view v = text.substr(*begin, *end - *begin);
  bool letter = false;
  for (char c : v) letter = letter || IsAlpha(c);
  // All-digit dashed groups ("12-34-56-78-90-12") are as likely to be some other code.
  if (!letter && v.find('-') != std::string_view::npos) return 40;
  return 90;
}

}  // namespace

void AddMacDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::Mac, R"(\b(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}\b|\b(?:[0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}\b)",
                  ValidateMac, Trigger::HexColon, 0});
  out->push_back({PiiType::Mac, R"(\b(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}\b)", ValidateMac, Trigger::Token, 0, "-"});
}

}  // namespace winnow::pii
