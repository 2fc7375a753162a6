// URL_CREDENTIALS: "scheme://user:password@host". The hit is the "user:password" part only, so
// the scheme and host (rarely personal) survive and the URL still reads as a URL.
#include "pii/detector.h"

namespace winnow::pii {
namespace {

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
