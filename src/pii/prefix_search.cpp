#include "pii/prefix_search.h"

namespace winnow::pii {

namespace {
inline bool ReWord(unsigned char c) {  // \b's word bytes in RE2's Latin-1 mode: ASCII only
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
}  // namespace

bool PrefixesStartWords(std::string_view pattern, const std::vector<std::string>& prefixes) {
  if (pattern.substr(0, 2) != "\\b" || prefixes.empty()) return false;
  for (const std::string& p : prefixes) {
    const unsigned char c = p.empty() ? 0 : static_cast<unsigned char>(p[0]);
    if (!ReWord(c) || c == '_') return false;
  }
  return true;
}

bool SearchFromPrefixes(const RE2& re, const std::vector<std::string>& prefixes, bool word_start, std::string_view text,
                        size_t pos, size_t end, size_t* b, size_t* e) {
  constexpr size_t npos = std::string_view::npos;
  const std::string_view head = text.substr(0, end);  // a match, so its prefix, ends by `end`
  const re2::StringPiece input(text.data(), text.size());
  re2::StringPiece m;
  for (size_t s = pos; s < end;) {
    size_t at = npos;
    for (const std::string& p : prefixes) at = std::min(at, head.find(p, s));
    if (at == npos) return false;
    if ((!word_start || at == 0 || !ReWord(static_cast<unsigned char>(text[at - 1]))) &&
        re.Match(input, at, end, RE2::ANCHOR_START, &m, 1)) {
      *b = at;
      *e = at + m.size();
      return true;
    }
    s = at + 1;
  }
  return false;
}

}  // namespace winnow::pii
