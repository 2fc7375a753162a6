// MAC addresses: six hex pairs joined by ':' or '-' (one kind), or Cisco's dotted "aabb.ccdd.eeff".
#include <algorithm>

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

bool IsHex(char c) { return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }
// Five ':' or two '.' for the colon / Cisco shapes; "hh-hh-" somewhere for the dashed one.
bool CouldMatchMacColon(std::string_view text, size_t pos, size_t end) {
  return CountByte(text, pos, end, ':') >= 5 || CountByte(text, pos, end, '.') >= 2;
}
bool CouldMatchMacDash(std::string_view text, size_t pos, size_t end) {
  end = std::min(end, text.size());
  for (size_t i = pos; i + 6 <= end; ++i) {
    if (text[i + 2] == '-' && text[i + 5] == '-' && IsHex(text[i]) && IsHex(text[i + 1]) && IsHex(text[i + 3]) &&
        IsHex(text[i + 4]))
      return true;
  }
  return false;
}

}  // namespace

void AddMacDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::Mac, R"(\b(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}\b|\b(?:[0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}\b)",
                  ValidateMac, Trigger::HexColon, 0, nullptr, CouldMatchMacColon});
  out->push_back({PiiType::Mac, R"(\b(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2}\b)", ValidateMac, Trigger::Token, 0, "-", CouldMatchMacDash});
}

}  // namespace winnow::pii
