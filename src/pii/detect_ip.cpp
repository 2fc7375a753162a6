// IPV4 / IPV6 addresses. IPv4: four octets 0-255 without leading zeros, not part of a longer dotted
// number and not a version string ("v1.2.3.4", "version 10.0.0.1"). IPv6: candidates are parsed
// fully (8 groups, or "::" compression, optional embedded IPv4). keep_private_ip leaves private,
// loopback and link-local addresses alone.
#include <cstdint>
#include <string>

#include "pii/detector.h"

namespace winnow::pii {
namespace {

// Parses a dotted quad; false unless exactly 4 octets 0-255 without leading zeros.
bool ParseIpv4(std::string_view s, uint8_t out[4]) {
  int part = 0;
  size_t i = 0;
  while (part < 4) {
    size_t start = i;
    int v = 0;
    while (i < s.size() && IsDigit(s[i]) && i - start < 3) v = v * 10 + (s[i++] - '0');
    size_t len = i - start;
    if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return false;
    out[part++] = uint8_t(v);
    if (part < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

bool PrivateIpv4(const uint8_t a[4]) {
  return a[0] == 10 || a[0] == 127 || (a[0] == 172 && a[1] >= 16 && a[1] <= 31) || (a[0] == 192 && a[1] == 168) ||
         (a[0] == 169 && a[1] == 254) || a[0] == 0;
}

bool IsHexOrColon(char c) { return IsDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') || c == ':'; }

// What may follow an address that StandaloneToken would call glued: a port ("192.0.2.10:8080",
// not followed by a word byte, nor by '.' or ':' and an alphanumeric), a URL path ("http://93.184.216.34/index.html") or, after a
// comma, the next address of a list ("203.0.113.5,198.51.100.3": digits with three dots).
bool PortOrPathAfter(std::string_view text, size_t end) {
  if (end + 1 >= text.size()) return false;
  if (text[end] == '/') return IsAlpha(text[end + 1]);
  if (text[end] == ',') {
    size_t e = end + 1, dots = 0;
    while (e < text.size() && (IsDigit(text[e]) || text[e] == '.') && e - end <= 16) dots += text[e++] == '.';
    if (e > end + 1 && text[e - 1] == '.') --dots;  // a sentence's full stop
    return dots == 3 && IsDigit(text[end + 1]);
  }
  if (text[end] != ':') return false;
  size_t e = end + 1;
  while (e < text.size() && IsDigit(text[e]) && e - end <= 5) ++e;
  if (e == end + 1 || e - end > 6) return false;
  if (e == text.size()) return true;
  if (IsWordByte(text[e])) return false;
  return !((text[e] == '.' || text[e] == ':') && e + 1 < text.size() && IsAlnum(text[e + 1]));
}

int ValidateIpv4(std::string_view text, size_t* begin, size_t* end, const DetectOptions& opt) {
  // Judge the start against the whole text, the end against the text cut after the address when
  // a port or a path follows.
  std::string_view judged = PortOrPathAfter(text, *end) ? text.substr(0, *end) : text;
  if (!StandaloneToken(judged, *begin, *end)) return 0;
  // The IPv4 tail of an IPv6 address ("::ffff:192.0.2.128") belongs to the IPv6 detector.
  if (*begin >= 2 && text[*begin - 1] == ':' && IsHexOrColon(text[*begin - 2])) return 0;
  // Pinned versions ("foo==1.2.3.4", "bar>=2.0.0.1").
  if (*begin >= 2 && text[*begin - 1] == '=' && std::string_view("=<>~!").find(text[*begin - 2]) != std::string_view::npos) return 0;
  uint8_t a[4];
  if (!ParseIpv4(text.substr(*begin, *end - *begin), a)) return 0;
  // Version, firmware and document-numbering words just before: "BIOS to 1.14.0.2", "section 3.2.1.4".
  static const std::vector<std::string_view> kVersion = {"version", "versions", "ver", "v", "release", "firmware", "python",
                                                         "bios", "driver", "kernel", "section", "sections", "sec",
                                                         "chapter", "clause", "oid"};
  if (HasContext(text, *begin, *end, kVersion, 16, 0)) return 0;
  if (opt.keep_private_ip && PrivateIpv4(a)) return 0;
  static const std::vector<std::string_view> kContext = {"ip", "ips", "ipv4", "address", "host", "server", "client", "from", "src", "dst", "gateway", "dns"};
  return HasContext(text, *begin, *end, kContext) ? 95 : 85;
}

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses an IPv6 address into 8 groups; false when malformed.
bool ParseIpv6(std::string_view s, uint16_t out[8]) {
  uint16_t groups[8] = {};
  int n = 0, gap = -1;
  size_t i = 0;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    gap = 0;
    i = 2;
    if (i == s.size()) {
      for (int k = 0; k < 8; ++k) out[k] = 0;
      return true;
    }
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    if (n >= 8) return false;
    // Embedded IPv4 in the last 32 bits.
    size_t next_colon = s.find(':', i);
    std::string_view rest = s.substr(i, next_colon == std::string_view::npos ? std::string_view::npos : next_colon - i);
    if (rest.find('.') != std::string_view::npos) {
      uint8_t a[4];
      if (next_colon != std::string_view::npos || n > 6 || !ParseIpv4(rest, a)) return false;
      groups[n++] = uint16_t((a[0] << 8) | a[1]);
      groups[n++] = uint16_t((a[2] << 8) | a[3]);
      i = s.size();
      break;
    }
    int v = 0, len = 0;
    while (i < s.size() && HexValue(s[i]) >= 0 && len < 5) v = v * 16 + HexValue(s[i++]), ++len;
    if (len == 0 || len > 4) return false;
    groups[n++] = uint16_t(v);
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (gap >= 0) return false;
      gap = n;
      ++i;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  if (gap < 0) {
    if (n != 8) return false;
    for (int k = 0; k < 8; ++k) out[k] = groups[k];
    return true;
  }
  if (n > 7) return false;
  int zeros = 8 - n;
  int k = 0;
  for (int j = 0; j < gap; ++j) out[k++] = groups[j];
  for (int j = 0; j < zeros; ++j) out[k++] = 0;
  for (int j = gap; j < n; ++j) out[k++] = groups[j];
  return true;
}

int ValidateIpv6(std::string_view text, size_t* begin, size_t* end, const DetectOptions& opt) {
  // Trim a trailing ':' or '.' that belongs to the sentence (but keep a final "::").
  while (*end > *begin && (text[*end - 1] == '.' || (text[*end - 1] == ':' && !(*end - *begin >= 2 && text[*end - 2] == ':'))))
    --*end;
  if (*begin > 0 && (IsWordByte(text[*begin - 1]) || text[*begin - 1] == ':')) return 0;
  if (*end < text.size() && (IsWordByte(text[*end]) || text[*end] == ':')) return 0;
  std::string_view v = text.substr(*begin, *end - *begin);
  uint16_t g[8];
  if (!ParseIpv6(v, g)) return 0;
  // Shape rules against C++ scopes ("a::b") and short hex words: need a digit, and "::" forms
  // need at least two groups with one of 3+ characters, or three groups.
  bool digit = false;
  int groups = 0, longest = 0, cur = 0;
  for (char c : v) {
    digit = digit || IsDigit(c);
    if (c == ':') {
      if (cur) ++groups;
      cur = 0;
    } else {
      ++cur;
      if (cur > longest) longest = cur;
    }
  }
  if (cur) ++groups;
  if (!digit) return 0;
  if (v.find("::") != std::string_view::npos && !(groups >= 3 || (groups >= 2 && longest >= 3)) && v != "::1") return 0;
  if (opt.keep_private_ip) {
    bool loopback = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0 && g[6] == 0 && g[7] <= 1;
    bool ula = (g[0] & 0xfe00) == 0xfc00;
    bool link_local = (g[0] & 0xffc0) == 0xfe80;
    if (loopback || ula || link_local) return 0;
  }
  return 85;
}

// IPv6 patterns need "::", or 7 (6 before an embedded IPv4) colons.
bool CouldMatchIpv6(std::string_view text, size_t pos, size_t end) {
  return HasLiteral(text, pos, end, "::") || CountByte(text, pos, end, ':') >= 6;
}

}  // namespace

void AddIpDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::Ipv4, R"(\b(?:[0-9]{1,3}\.){3}[0-9]{1,3}\b)", ValidateIpv4, Trigger::Numeric, 4});
  out->back().shape = NumericShape::Ipv4;
  out->push_back({PiiType::Ipv6,
                  R"([0-9A-Fa-f:]*::[0-9A-Fa-f:.]*|(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){6}[0-9]{1,3}(?:\.[0-9]{1,3}){3})",
                  ValidateIpv6, Trigger::HexColon, 0, nullptr, CouldMatchIpv6});
}

}  // namespace winnow::pii
