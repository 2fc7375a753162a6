// URL_CREDENTIALS: "scheme://user:password@host". The hit is the "user:password" part only, so
// the scheme and host (rarely personal) survive and the URL still reads as a URL.
#include "pii/detector.h"

namespace winnow::pii {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

// A password that is a template rather than a secret: a variable ("${DB_PASSWORD}", "$PASS",
// "{{ pw }}", "%(pw)s", "<password>"), a mask ("****", "xxxx"), or the word itself as documentation
// writes it ("user:password@host", "USER:PASS@HOST").
bool PlaceholderPassword(std::string_view pw) {
  if (pw.empty()) return true;
  char f = pw[0];
  if (f == '$' || f == '{' || f == '<' || (f == '%' && pw.size() > 1 && pw[1] == '(')) return true;
  bool same = true;
  for (char c : pw) same = same && LowerAscii(c) == LowerAscii(pw[0]);
  if (same && (f == '*' || f == 'x' || f == 'X' || f == '.')) return true;
  static const std::string_view kWords[] = {"password", "pass", "passwd", "pwd", "pw", "secret", "mypassword", "yourpassword"};
  for (std::string_view w : kWords) {
    if (pw.size() != w.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < w.size(); ++i) eq = eq && LowerAscii(pw[i]) == w[i];
    if (eq) return true;
  }
  return false;
}

int ValidateUrlCredentials(std::string_view text, size_t* begin, size_t* end, const DetectOptions&) {
  std::string_view v = text.substr(*begin, *end - *begin);
  size_t scheme_end = v.find("://");
  if (scheme_end == std::string_view::npos) return 0;
  size_t user_begin = scheme_end + 3;
  size_t at = v.rfind('@');
  if (at == std::string_view::npos || at <= user_begin) return 0;
  std::string_view userinfo = v.substr(user_begin, at - user_begin);
  size_t colon = userinfo.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == userinfo.size()) return 0;
  if (PlaceholderPassword(userinfo.substr(colon + 1))) return 0;
  size_t b = *begin + user_begin;
  *end = *begin + at;
  *begin = b;
  return 95;
}

bool CouldMatchUrlCredentials(std::string_view text, size_t pos, size_t end) {
  return HasLiteral(text, pos, end, "@") && HasLiteral(text, pos, end, "://");
}

}  // namespace

void AddUrlCredentialDetectors(std::vector<DetectorDef>* out) {
  out->push_back({PiiType::UrlCredentials,
                  R"(\b[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s/@:"'<>]+:[^\s/@"'<>]+@[A-Za-z0-9.\-\[\]]+)",
                  ValidateUrlCredentials, Trigger::Url, 0, nullptr, CouldMatchUrlCredentials});
}

}  // namespace winnow::pii
