#include "pii/checksums.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "pii/sha256.h"

namespace winnow::pii {

bool DigitsOf(std::string_view s, std::string* out, size_t max_digits) {
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      if (out->size() >= max_digits) return false;
      out->push_back(c);
    }
  }
  return true;
}

static bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool LuhnValid(std::string_view digits) {
  if (!AllDigits(digits)) return false;
  int sum = 0;
  bool dbl = false;
  for (size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

// [SECTION] cards
static int PrefixNum(std::string_view d, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n && i < d.size(); ++i) v = v * 10 + (d[i] - '0');
  return v;
}

const char* CardBrand(std::string_view d) {
  if (!AllDigits(d)) return nullptr;
  size_t n = d.size();
  int p1 = PrefixNum(d, 1), p2 = PrefixNum(d, 2), p3 = PrefixNum(d, 3), p4 = PrefixNum(d, 4),
      p6 = PrefixNum(d, 6);
  if ((p2 == 34 || p2 == 37) && n == 15) return "amex";
  if (p1 == 4 && (n == 13 || n == 16 || n == 19)) return "visa";
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && n == 16) return "mastercard";
  if ((p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p6 >= 622126 && p6 <= 622925)) &&
      n >= 16 && n <= 19)
    return "discover";
  if (p4 >= 3528 && p4 <= 3589 && n >= 16 && n <= 19) return "jcb";
  if (((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) && n >= 14 && n <= 19) return "diners";
  if (p2 == 62 && n >= 16 && n <= 19) return "unionpay";
  if (p4 >= 2200 && p4 <= 2204 && n >= 16 && n <= 19) return "mir";
  if ((p2 == 50 || (p2 >= 56 && p2 <= 58) || p2 == 63 || p2 == 67) && n >= 12 && n <= 19) return "maestro";
  return nullptr;
}

// [SECTION] IBAN
namespace {
struct IbanCountry {
  char cc[3];
  int length;
};
// Lengths from the SWIFT IBAN registry.
constexpr IbanCountry kIbanCountries[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24},
    {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31},
    {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24},
    {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}};
}  // namespace

int IbanLength(std::string_view country) {
  if (country.size() != 2) return 0;
  for (const IbanCountry& c : kIbanCountries) {
    if (c.cc[0] == country[0] && c.cc[1] == country[1]) return c.length;
  }
  return 0;
}

bool IbanValid(std::string_view s) {
  int len = IbanLength(s.substr(0, 2));
  if (len == 0 || int(s.size()) != len) return false;
  if (s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9') return false;
  // Move the first four characters to the end, letters -> 10..35, then mod 97 piecewise.
  int rem = 0;
  for (size_t k = 0; k < s.size(); ++k) {
    char c = s[(k + 4) % s.size()];
    if (c >= '0' && c <= '9') {
      rem = (rem * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      int v = c - 'A' + 10;
      rem = (rem * 100 + v) % 97;
    } else {
      return false;
    }
  }
  return rem == 1;
}

// [SECTION] Verhoeff
bool VerhoeffValid(std::string_view digits) {
  static const uint8_t d[10][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
      {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
      {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
      {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
  static const uint8_t p[8][10] = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
      {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
      {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
  if (!AllDigits(digits)) return false;
  int c = 0;
  size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    int digit = digits[n - 1 - i] - '0';
    c = d[c][p[i % 8][digit]];
  }
  return c == 0;
}

// [SECTION] national ids
bool SsnValid(std::string_view s) {
  if (s.size() != 9 || !AllDigits(s)) return false;
  int area = PrefixNum(s, 3);
  int group = PrefixNum(s.substr(3), 2);
  int serial = PrefixNum(s.substr(5), 4);
  if (area == 0 || area == 666 || area >= 900) return false;
  if (group == 0 || serial == 0) return false;
  // Numbers printed in advertising and sample cards, invalid for real people.
  if (s == "078051120" || s == "219099999" || s == "123456789") return false;
  return true;
}

bool NhsValid(std::string_view s) {
  if (s.size() != 10 || !AllDigits(s)) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (s[i] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10) return false;
  return check == s[9] - '0';
}

static const char kNifLetters[] = "TRWAGMYFPDXBNJZSQVHLCKE";

static char Upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 32) : c; }

bool NifValid(std::string_view s) {
  if (s.size() != 9 || !AllDigits(s.substr(0, 8))) return false;
  long v = 0;
  for (int i = 0; i < 8; ++i) v = v * 10 + (s[i] - '0');
  return Upper(s[8]) == kNifLetters[v % 23];
}

bool NieValid(std::string_view s) {
  if (s.size() != 9 || !AllDigits(s.substr(1, 7))) return false;
  char first = Upper(s[0]);
  int lead = first == 'X' ? 0 : first == 'Y' ? 1 : first == 'Z' ? 2 : -1;
  if (lead < 0) return false;
  long v = lead;
  for (int i = 1; i < 8; ++i) v = v * 10 + (s[i] - '0');
  return Upper(s[8]) == kNifLetters[v % 23];
}

bool AadhaarValid(std::string_view s) {
  if (s.size() != 12 || !AllDigits(s) || s[0] < '2') return false;
  return VerhoeffValid(s);
}

bool PeselValid(std::string_view s) {
  if (s.size() != 11 || !AllDigits(s)) return false;
  static const int w[10] = {1, 3, 7, 9, 1, 3, 7, 9, 1, 3};
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += (s[i] - '0') * w[i];
  if ((10 - sum % 10) % 10 != s[10] - '0') return false;
  int yy = PrefixNum(s, 2), mm = PrefixNum(s.substr(2), 2), dd = PrefixNum(s.substr(4), 2);
  int century;
  if (mm >= 81 && mm <= 92) century = 1800, mm -= 80;
  else if (mm >= 1 && mm <= 12) century = 1900;
  else if (mm >= 21 && mm <= 32) century = 2000, mm -= 20;
  else if (mm >= 41 && mm <= 52) century = 2100, mm -= 40;
  else if (mm >= 61 && mm <= 72) century = 2200, mm -= 60;
  else return false;
  int year = century + yy;
  static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int maxd = mdays[mm - 1] - ((mm == 2 && !leap) ? 1 : 0);
  return dd >= 1 && dd <= maxd;
}

bool AbnValid(std::string_view s) {
  if (s.size() != 11 || !AllDigits(s) || s[0] == '0') return false;
  static const int w[11] = {10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19};
  int sum = 0;
  for (int i = 0; i < 11; ++i) sum += ((s[i] - '0') - (i == 0 ? 1 : 0)) * w[i];
  return sum % 89 == 0;
}

bool TfnValid(std::string_view s) {
  if (!AllDigits(s)) return false;
  static const int w9[9] = {1, 4, 3, 7, 5, 8, 6, 9, 10};
  static const int w8[8] = {10, 7, 8, 4, 6, 3, 5, 1};
  const int* w;
  if (s.size() == 9) w = w9;
  else if (s.size() == 8) w = w8;
  else return false;
  int sum = 0;
  for (size_t i = 0; i < s.size(); ++i) sum += (s[i] - '0') * w[i];
  return sum % 11 == 0 && sum != 0;
}

bool SinValid(std::string_view s) {
  if (s.size() != 9 || !AllDigits(s) || s[0] == '0' || s[0] == '8') return false;
  return LuhnValid(s);
}

bool DeTaxIdValid(std::string_view s) {
  if (s.size() != 11 || !AllDigits(s) || s[0] == '0') return false;
  int count[10] = {};
  for (int i = 0; i < 10; ++i) count[s[i] - '0']++;
  int repeated = 0;
  for (int c : count) {
    if (c > 3) return false;
    if (c >= 2) ++repeated;
  }
  if (repeated != 1) return false;
  int product = 10;
  for (int i = 0; i < 10; ++i) {
    int sum = (s[i] - '0' + product) % 10;
    if (sum == 0) sum = 10;
    product = (sum * 2) % 11;
  }
  int check = 11 - product;
  if (check == 10) check = 0;
  return check == s[10] - '0';
}

// [SECTION] Bitcoin
bool Base58CheckBitcoinValid(std::string_view s) {
  static const char* kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  if (s.size() < 26 || s.size() > 35) return false;
  // Decode into a 25-byte big-endian number.
  uint8_t out[25] = {};
  for (char c : s) {
    const char* p = std::strchr(kAlphabet, c);
    if (c == 0 || p == nullptr) return false;
    int carry = int(p - kAlphabet);
    for (int i = 24; i >= 0; --i) {
      carry += 58 * out[i];
      out[i] = uint8_t(carry & 0xff);
      carry >>= 8;
    }
    if (carry != 0) return false;  // more than 25 bytes
  }
  // Leading '1's encode leading zero bytes: their count must match.
  size_t ones = 0;
  while (ones < s.size() && s[ones] == '1') ++ones;
  size_t zeros = 0;
  while (zeros < 25 && out[zeros] == 0) ++zeros;
  if (ones != zeros) return false;
  if (out[0] != 0x00 && out[0] != 0x05) return false;
  Sha256Digest h1 = Sha256(out, 21);
  Sha256Digest h2 = Sha256(h1.data(), h1.size());
  return std::memcmp(h2.data(), out + 21, 4) == 0;
}

namespace {
uint32_t Bech32Polymod(const std::vector<uint8_t>& v) {
  static const uint32_t g[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t x : v) {
    uint32_t b = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ x;
    for (int i = 0; i < 5; ++i) {
      if ((b >> i) & 1) chk ^= g[i];
    }
  }
  return chk;
}
}  // namespace

bool Bech32BitcoinValid(std::string_view s) {
  static const char* kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  if (s.size() < 14 || s.size() > 74) return false;
  bool has_lower = false, has_upper = false;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') has_lower = true;
    if (c >= 'A' && c <= 'Z') has_upper = true;
  }
  if (has_lower && has_upper) return false;
  size_t sep = s.rfind('1');
  if (sep != 2) return false;
  if (Upper(s[0]) != 'B' || Upper(s[1]) != 'C') return false;
  std::vector<uint8_t> v = {3, 3, 0, 2, 3};  // hrp "bc" expanded: high bits, 0, low bits
  std::vector<uint8_t> data;
  for (size_t i = sep + 1; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = char(c + 32);
    const char* p = std::strchr(kCharset, c);
    if (c == 0 || p == nullptr) return false;
    data.push_back(uint8_t(p - kCharset));
  }
  if (data.size() < 7) return false;
  v.insert(v.end(), data.begin(), data.end());
  uint32_t pm = Bech32Polymod(v);
  int witver = data[0];
  if (witver > 16) return false;
  // Program length in bytes: (5 * (data chars - version - 6 checksum)) / 8.
  size_t prog_bits = 5 * (data.size() - 7);
  size_t prog_len = prog_bits / 8;
  if (prog_bits % 8 >= 5) return false;  // too much padding
  if (prog_len < 2 || prog_len > 40) return false;
  if (witver == 0) return pm == 1 && (prog_len == 20 || prog_len == 32);
  return pm == 0x2bc830a3;
}

}  // namespace winnow::pii
