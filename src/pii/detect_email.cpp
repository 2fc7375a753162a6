// EMAIL: local@domain.tld (or URL-encoded, local%40domain.tld) with a TLD shape check (letters or an IDN "xn--" label) and a short list
// of file extensions that look like TLDs in asset names ("logo@2x.png").
#include "pii/detector.h"

namespace winnow::pii {
namespace {

bool IsFileExtension(std::string_view tld) {
  static const std::string_view kExt[] = {"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "css",
                                          "js", "ts", "json", "yaml", "yml", "txt", "html", "htm", "php",
                                          "exe", "dll", "map", "lock", "tsx", "jsx", "scss", "woff", "woff2"};
  for (std::string_view e : kExt) {
    if (tld.size() != e.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < e.size(); ++i) {
      char c = tld[i];
      if (c >= 'A' && c <= 'Z') c = char(c + 32);
      eq = eq && c == e[i];
    }
    if (eq) return true;
  }
  return false;
}

int ValidateEmail(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  // A local part with accented Latin letters ("josé.pérez@…"): the pattern is ASCII and starts after
  // the last such letter, so move the start back over the whole local part (two-byte UTF-8 letters
  // U+00C0-U+017F and the ASCII local-part characters) rather than report its tail and leave the
  // rest of the name in the text. Other scripts stop the walk (the pattern's start stays).
  auto latin_letter_before = [&](size_t b) {  // a two-byte Latin letter ends at b
    unsigned char lead = b >= 2 ? static_cast<unsigned char>(text[b - 2]) : 0, cont = static_cast<unsigned char>(text[b - 1]);
    return lead >= 0xC3 && lead <= 0xC5 && cont >= 0x80 && cont <= 0xBF;
  };
  if (*begin > 0 && latin_letter_before(*begin)) {
    size_t b = *begin;
    while (b > 0 && *begin - b < 64) {
      char p = text[b - 1];
      if (latin_letter_before(b)) b -= 2;
      else if (IsAlnum(p) || p == '.' || p == '_' || p == '%' || p == '+' || p == '-') --b;
      else break;
    }
    *begin = b;
  }
  // A rejected address must not come back as its own tail ("git@…" -> "it@…"), and the userinfo of
  // a URL ("https://user@host") is not an e-mail address.
  if (*begin > 0) {
    char p = text[*begin - 1];
    if (IsAlnum(p) || p == '.' || p == '_' || p == '%' || p == '+' || p == '-') return 0;
    if (p == '/' && *begin >= 3 && text.substr(*begin - 3, 3) == "://") return 0;
  }
  std::string_view v = text.substr(*begin, *end - *begin);
  size_t at = v.find('@'), width = 1;
  if (at == std::string_view::npos) {  // URL-encoded: "name%40example.com" in a query string
    at = v.find("%40");
    width = 3;
  }
  if (at == std::string_view::npos || at == 0 || at > 64) return 0;
  std::string_view local = v.substr(0, at), domain = v.substr(at + width);
  if (local.back() == '.' || local.find("..") != std::string_view::npos) return 0;
  if (domain.size() > 253) return 0;
  size_t dot = domain.rfind('.');
  std::string_view tld = domain.substr(dot + 1);
  if (IsFileExtension(tld)) return 0;
  // "git@github.com:owner/repo" is an SSH remote, not a person's address.
  if (local == "git" && *end < text.size() && text[*end] == ':') return 0;
  return 90;
}

bool CouldMatchEmail(std::string_view text, size_t pos, size_t end) {
  return HasLiteral(text, pos, end, "@") || HasLiteral(text, pos, end, "%40");
}

}  // namespace

void AddEmailDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::Email,
                  R"([A-Za-z0-9][A-Za-z0-9._%+\-]*(?:@|%40)[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)"
                  R"((?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9]{2,20})\b)",
                  ValidateEmail, Trigger::Email, 0, nullptr, CouldMatchEmail});
}

}  // namespace winnow::pii
