#include "dedup/text_normalize.h"

#include "core/utf8.h"
#include "dedup/nfkc.h"

namespace winnow {

namespace {

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 ||
         c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

bool IsPunct(char32_t c) {
  if (c < 0x80) {
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
  }
  return c == 0xA1 || c == 0xA7 || c == 0xAB || c == 0xB6 || c == 0xB7 || c == 0xBB || c == 0xBF ||
         (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205E) || (c >= 0x3001 && c <= 0x3003) ||
         (c >= 0x3008 && c <= 0x3011) || (c >= 0x3014 && c <= 0x301F) || (c >= 0xFF01 && c <= 0xFF0F);
}

bool IsZeroWidth(char32_t c) { return (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF; }

}  // namespace

char32_t SimpleLower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    if ((c <= 0x137) || (c >= 0x14A && c <= 0x177)) return (c % 2 == 0) ? c + 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 1) ? c + 1 : c;
    if (c == 0x178) return 0xFF;
    return c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

void NormalizeText(std::string_view text, const NormalizeOptions& opts, std::string* out) {
  out->clear();
  out->reserve(text.size());
  std::string_view in = text;
  thread_local std::string folded;
  if (opts.nfkc) {
    size_t a = 0;
    while (a < text.size() && static_cast<unsigned char>(text[a]) < 0x80) ++a;
    if (a < text.size()) {  // ASCII is already NFKC
      folded.clear();
      AppendNfkc(text, &folded);
      in = folded;
    }
  }
  bool pending_space = false;  // a whitespace run seen since the last output character
  bool in_digits = false;
  size_t i = 0;
  while (i < in.size()) {
    unsigned char b = static_cast<unsigned char>(in[i]);
    char32_t c = b;
    if (b < 0x80) {
      ++i;
    } else {
      size_t start = i;
      c = DecodeUtf8(in, &i);
      if (c == 0xFFFD && !(i - start == 3 && in.compare(start, 3, "\xEF\xBF\xBD") == 0)) {
        // Invalid byte: pass it through verbatim.
        if (pending_space && opts.whitespace && !out->empty()) out->push_back(' ');
        pending_space = false;
        in_digits = false;
        out->append(in.substr(start, i - start));
        continue;
      }
      if (opts.nfkc && IsZeroWidth(c)) continue;
    }
    if (opts.whitespace && IsSpace(c)) {
      pending_space = true;
      in_digits = false;
      continue;
    }
    if (opts.punctuation && IsPunct(c)) continue;
    if (opts.digits && c >= '0' && c <= '9') {
      if (in_digits) continue;
      c = '0';
      in_digits = true;
    } else {
      in_digits = false;
    }
    if (opts.lowercase) c = SimpleLower(c);
    if (pending_space && !out->empty()) out->push_back(' ');
    pending_space = false;
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else {
      AppendUtf8(c, out);
    }
  }
}

}  // namespace winnow
